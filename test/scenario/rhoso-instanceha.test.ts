import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario } from '../../harness/scenario/index.js';
import { runScenario } from '../../harness/run/run-scenario.js';
import type { World } from '../../sim/world.js';
import { cli } from '../support/cli-in-process.js';

const dir = join(import.meta.dirname, '../../scenarios');
const S = 1_000;

interface Rec { t: number; type: string; entity: string; [k: string]: unknown }
const records = (world: World): Rec[] => world.trace.records as unknown as Rec[];
const first = (world: World, type: string, entity?: string): Rec | undefined =>
  records(world).find((r) => r.type === type && (entity === undefined || r.entity === entity));
const all = (world: World, type: string, entity?: string): Rec[] =>
  records(world).filter((r) => r.type === type && (entity === undefined || r.entity === entity));

describe('RHOSO InstanceHA in the simulated cloud (scenarios/rhoso-*.yaml)', () => {
  it('rhoso-host-power-loss: detection 30–76 s after the last heartbeat (DELTA 30 s + at most one POLL 45 s + a cycle), failures at 10 phases', async () => {
    const text = readFileSync(join(dir, 'rhoso-host-power-loss.yaml'), 'utf8');
    const delays: number[] = [];
    for (let k = 0; k < 10; k++) {
      const spec = parseScenario(text.replace('{ at: 2m, kind: host-power-loss', `{ at: ${120 + k * 4.7}s, kind: host-power-loss`));
      const { world, report } = runScenario(spec, { seed: k + 1 });
      expect(report.exitCode, report.replay).toBe(0);
      const down = first(world, 'rhoso.host-down', 'compute-01')!;
      delays.push(down.t - (down['updatedAtMs'] as number));
    }
    expect(Math.min(...delays)).toBeGreaterThan(30 * S);
    expect(Math.max(...delays)).toBeLessThanOrEqual(76 * S);
    // The poll's phase spreads detection over most of the POLL interval.
    expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(25 * S);
  });

  it('rhoso-host-power-loss: the poller fences through the BMC, never Pacemaker; every instance recovered', async () => {
    const { world, report } = runScenario(await loadScenario(join(dir, 'rhoso-host-power-loss.yaml')));
    expect(report.exitCode).toBe(0);
    expect(records(world).filter((r) => r.type.startsWith('pacemaker.fence'))).toEqual([]);
    expect(first(world, 'fence.power-off-confirmed', 'compute-01')).toMatchObject({ via: 'bmc-status' });
    expect(report.instances.filter((i) => i.outcome === 'recovered')).toHaveLength(4);
  });

  it('rhoso-check (host hang): powered on by the poller, nova-compute starts at boot (no unfencing), forced up, enabled', async () => {
    const { world, report } = runScenario(await loadScenario(join(dir, 'rhoso-check.yaml')));
    expect(report.exitCode).toBe(0);
    const on = first(world, 'bmc.action', 'compute-2')!;
    const booted = records(world).find((r) => r.type === 'host.booted' && r.entity === 'compute-2' && r.t > on.t)!;
    expect(first(world, 'nova-compute.starting', 'compute-2')!.t).toBe(booted.t);
    expect(first(world, 'rhoso.reenable.enabled', 'compute-2')).toBeDefined();
    expect(records(world).filter((r) => r.type.startsWith('pacemaker.fence'))).toEqual([]);
  });

  it('rhoso-smart-evacuation: the host is powered on only after every tracked rebuild is done', async () => {
    const { world, report } = runScenario(await loadScenario(join(dir, 'rhoso-smart-evacuation.yaml')));
    expect(report.exitCode, report.replay).toBe(0);
    const done = all(world, 'nova.evacuate.done').map((r) => r.t);
    expect(done).toHaveLength(4);
    const powerOn = records(world).find((r) => r.type === 'bmc.action' && r.entity === 'compute-01' && r['action'] === 'on')!;
    expect(powerOn.t).toBeGreaterThan(Math.max(...done));
  });

  it('rhoso-az-loss-threshold: 4 of 6 hosts down is over THRESHOLD 50 %: every cycle skipped, nothing recovered; threshold 100 recovers', async () => {
    const spec = await loadScenario(join(dir, 'rhoso-az-loss-threshold.yaml'));
    const { world, report } = runScenario(spec);
    expect(report.exitCode).toBe(0);
    expect(report.expectedViolations).toEqual([expect.objectContaining({ name: 'recovery-bounded', found: true })]);
    expect(all(world, 'rhoso.gate.threshold').length).toBeGreaterThan(20);
    expect(all(world, 'rhoso.evacuate.accepted')).toEqual([]);
    const fixed = { ...spec, recovery: { ...spec.recovery, options: { ...spec.recovery.options, threshold: 100 } },
      expect: { ...spec.expect, violations: [] } };
    const r = runScenario(fixed).report;
    expect(r.failures, r.replay).toEqual([]);
    expect(r.instances.filter((i) => i.outcome === 'recovered')).toHaveLength(16);
  });

  it('rhoso-dead-bmc: fenced again at every poll, for ever, never evacuated (fencing-impossible)', async () => {
    const { world, report } = runScenario(await loadScenario(join(dir, 'rhoso-dead-bmc.yaml')));
    expect(report.exitCode).toBe(0);
    const failed = all(world, 'rhoso.fence.failed', 'compute-02');
    // Each attempt: 3 tries of FENCING_TIMEOUT (30 s) 1 s and 2 s apart, then the next poll 45 s later: ~138 s.
    expect(failed.length).toBeGreaterThanOrEqual(7);
    expect(all(world, 'rhoso.evacuate.accepted')).toEqual([]);
    const lost = report.instances.filter((i) => i.outcome === 'not-recovered');
    expect(lost.length).toBe(4);
    expect(new Set(lost.map((i) => i.reason))).toEqual(new Set(['fencing-impossible']));
  });

  it('recovery-restart: the poller pod restarts mid-evacuation, forgets everything, and resumes from Nova\'s markers without fencing again', async () => {
    const text = readFileSync(join(dir, 'rhoso-smart-evacuation.yaml'), 'utf8')
      .replace('  - { at: 2m, kind: host-power-loss, target: compute-01 }',
        '  - { at: 2m, kind: host-power-loss, target: compute-01 }\n  - { at: 3m30s, kind: recovery-restart }');
    const { world, report } = runScenario(parseScenario(text));
    expect(report.failures, report.replay).toEqual([]);
    const restart = first(world, 'recovery.restart')!;
    expect(restart.t).toBe(210 * S);
    expect(restart['processes']).toBeGreaterThan(1);
    // Before the restart the host was fenced and its servers' evacuations were accepted; after it, the new pod
    // resumes the host (disabled `instanceha evacuation: …`, forced down) and watches the migrations in flight.
    expect(all(world, 'bmc.action', 'compute-01').filter((r) => r['action'] === 'off')).toHaveLength(1);
    const resumed = records(world).find((r) => r.type === 'rhoso.process.start' && r.t > restart.t)!;
    expect(resumed).toMatchObject({ entity: 'compute-01', resume: true });
    // The evacuations accepted before the restart are watched, not sent again (`_server_evacuate_future` on resume).
    expect(all(world, 'rhoso.evacuate.accepted')).toHaveLength(4);
    expect(all(world, 'rhoso.evacuate.accepted').every((r) => r.t < restart.t)).toBe(true);
    // Local disks: rebuilt from the image.
    expect(report.instances.filter((i) => i.outcome === 'recovered-data-lost')).toHaveLength(4);
  });
});

describe('RHOSO InstanceHA: bad recovery config is bad input (exit 3)', () => {
  const write = (recovery: string): string => {
    const text = readFileSync(join(dir, 'rhoso-host-power-loss.yaml'), 'utf8').replace('recovery: { policy: rhoso-instanceha }', recovery);
    const file = join(mkdtempSync(join(tmpdir(), 'ihasim-rhoso-')), 's.yaml');
    writeFileSync(file, text);
    return file;
  };

  it('POLL 5 s: exit 3 naming recovery.poll and [15s, 600s]', async () => {
    const r = await cli(['validate', write('recovery: { policy: rhoso-instanceha, poll: 5s }')]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/recovery\.poll/);
    expect(r.err).toContain('[15s, 600s]');
  });

  it('an unknown knob and an integer out of bounds: exit 3 at the key', async () => {
    const unknown = await cli(['validate', write('recovery: { policy: rhoso-instanceha, pol: 45s }')]);
    expect(unknown.code).toBe(3);
    expect(unknown.err).toMatch(/recovery\.pol\b/);
    const threshold = await cli(['validate', write('recovery: { policy: rhoso-instanceha, threshold: 101 }')]);
    expect(threshold.code).toBe(3);
    expect(threshold.err).toMatch(/recovery\.threshold/);
  });
});
