import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../harness/scenario/index.js';
import { runScenario } from '../../harness/run/run-scenario.js';
import type { RunReport } from '../../reports/report-types.js';

const dir = join(import.meta.dirname, '../../scenarios');
const run = async (file: string, patch?: (s: any) => any, seed?: number): Promise<RunReport> => {
  const spec = await loadScenario(join(dir, file));
  return runScenario(patch ? patch(structuredClone(spec)) : spec, { trace: true, seed }).report;
};
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const downtimes = (r: RunReport): number[] => r.instances.filter((i) => i.downtimeMs !== null).map((i) => i.downtimeMs!);

describe('safety: fencing is what prevents a VM from running twice', () => {
  it('no-fence under a mgmt partition: exit 1 naming no-double-run with the instance, both hosts and the time', async () => {
    const r = await run('mgmt-partition-no-fence.yaml', (s) => ({ ...s, expect: { ...s.expect, violations: [] } }));
    expect(r.exitCode).toBe(1);
    const v = r.violations.find((x) => x.invariant === 'no-double-run')!;
    expect(v.entities[0]).toMatch(/^vm-/);
    expect(v.entities).toContain('compute-03');
    expect(v.entities.length).toBe(3);
    expect(v.atMs).toBeGreaterThan(120_000);
    expect(v.message).toMatch(/executes on compute-03 and compute-0\d at once/);
    expect(r.replay).toMatch(/npx ihasim run .*mgmt-partition-no-fence.yaml --seed 1/);
  });

  it('instance HA under the same partition passes: the host is fenced (a false fence) before evacuation', async () => {
    const r = await run('mgmt-partition-fenced.yaml');
    expect(r.exitCode).toBe(0);
    expect(r.metrics.falseFences).toBe(1);
    expect(r.metrics.recovery.count).toBeGreaterThan(0);
  });

  it('host hang then resume: double run without fencing, safe with it', async () => {
    expect((await run('host-hang-fenced.yaml')).violations).toEqual([]);
    const bad = await run('host-hang-no-fence.yaml');
    expect(bad.violations.some((v) => v.invariant === 'no-double-run')).toBe(true);
  });

  it('fencing impossible: nothing evacuated, each instance says why', async () => {
    const r = await run('fencing-impossible.yaml');
    expect(r.metrics.evacuations).toBe(0);
    const lost = r.instances.filter((i) => i.outcome === 'not-recovered');
    expect(lost.length).toBeGreaterThan(0);
    for (const i of lost) expect(i.reason).toBe('fencing-impossible');
  });
});

describe('timing: when force-down matters', () => {
  it('without force-down, recovery waits for the rest of Nova service_down_time: much later with fast detection, little with slow', async () => {
    const seeds = [1, 2, 3, 4, 5, 6];
    const gap = async (det: string): Promise<number> => {
      let total = 0;
      for (const seed of seeds) {
        total += mean(downtimes(await run(`host-power-loss-${det}-detection-no-forcedown.yaml`, undefined, seed)));
        total -= mean(downtimes(await run(`host-power-loss-${det}-detection-forcedown.yaml`, undefined, seed)));
      }
      return total / seeds.length;
    };
    const fast = await gap('fast');
    const slow = await gap('slow');
    expect(fast).toBeGreaterThan(35_000);
    expect(slow).toBeLessThan(fast / 2);
  });

  it('the phase breakdown shows where the time went: mark-down absorbs the heartbeat wait', async () => {
    const r = await run('host-power-loss-fast-detection-no-forcedown.yaml');
    const p = r.instances.find((i) => i.phases)!.phases!;
    expect(p.markDownMs!).toBeGreaterThan(20_000);
    expect(p.detectMs!).toBeLessThan(15_000);
  });
});

describe('other recoveries', () => {
  it('fenced host returning: evacuated copies cleaned, force-down cleared after evacuation, convergence', async () => {
    const r = await run('fenced-host-returns.yaml');
    expect(r.exitCode).toBe(0);
    const types = r.events.map((e) => e.type);
    expect(types).toContain('nova.evacuate.completed');
    expect(types.indexOf('unfence.done')).toBeGreaterThan(types.lastIndexOf('nova.evacuate.done'));
  });

  it('nova-compute crash with healthy guests: nothing fenced or evacuated', async () => {
    const r = await run('nova-compute-crash.yaml');
    expect(r.metrics.evacuations).toBe(0);
    expect(r.metrics.instancesAffected).toBe(0);
  });

  it('local disks: rebuilt from image, data loss reported', async () => {
    const r = await run('local-disk-evacuation.yaml');
    expect(r.metrics.dataLost).toBeGreaterThan(0);
    expect(r.instances.some((i) => i.outcome === 'recovered-data-lost')).toBe(true);
  });

  it('too little capacity: some instances end with reason no-capacity, no host overcommitted', async () => {
    const r = await run('rack-power-loss-low-capacity.yaml');
    expect(r.instances.some((i) => i.reason === 'no-capacity')).toBe(true);
    expect(r.violations.filter((v) => v.invariant === 'capacity-respected')).toEqual([]);
  });

  it('watchdog actions: reset self-heals, poweroff and pause stay down, reset loop counted', async () => {
    const r = await run('guest-panic-watchdog.yaml');
    const by = (n: string) => r.instances.find((i) => i.name === n)!;
    expect(by('reset-1').outcome).toBe('self-healed');
    expect(by('poweroff-1').reason).toBe('watchdog-poweroff');
    expect(by('pause-1').reason).toBe('watchdog-pause');
    expect(r.metrics.resetLoops).toBe(1);
  });
});
