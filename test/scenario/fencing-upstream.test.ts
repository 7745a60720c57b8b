import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../harness/scenario/index.js';
import { runScenario } from '../../harness/run/run-scenario.js';
import type { ScenarioSpec } from '../../sim/scenario-spec.js';

/**
 * The fence agents, NovaEvacuate and Pacemaker fencing behave as upstream does (never kinder). Each test names
 * the upstream function it follows.
 */
const dir = join(import.meta.dirname, '../../scenarios');
type Rec = { t: number; type: string; entity: string; [k: string]: unknown };
const run = async (file: string, patch?: (s: ScenarioSpec) => void) => {
  const spec = structuredClone(await loadScenario(join(dir, file)));
  patch?.(spec);
  const { report, world } = runScenario(spec, { trace: true });
  return { report, recs: world.trace.records as unknown as Rec[] };
};
const first = (recs: Rec[], type: string, pred: (r: Rec) => boolean = () => true) => recs.find((r) => r.type === type && pred(r));

describe('C5 fence_compute (agents/compute/fence_compute.py, fence-agents ≥ 4.5.2)', () => {
  it('set_power_status_on: a refused force-up is logged and never retried (LP#1922053) — TripleO order leaves the host forced down', async () => {
    const { report, recs } = await run('tripleo-unfence-order.yaml');
    const refused = recs.filter((r) => r.type === 'unfence.force-up-refused' && r.entity === 'compute-01');
    expect(refused.length).toBe(1);
    expect(refused[0]!.retried).toBe(false);
    expect(report.violations.map((v) => v.message)).toContain('healthy host compute-01 is left forced down by recovery');
    expect(report.exitCode).toBe(0);
  });

  it('set_power_status_off without force-down polls for ever: Pacemaker times it out, fencing fails, nothing is evacuated', async () => {
    const { recs } = await run('host-power-loss-fast-detection-no-forcedown.yaml', (s) => {
      s.config.fencing.computeAgent = 'current';
    });
    expect(first(recs, 'pacemaker.fence.failed', (r) => r.entity === 'compute-01')).toBeDefined();
    expect(first(recs, 'pacemaker.fence.ok')).toBeUndefined();
    expect(first(recs, 'nova.evacuate.accepted')).toBeUndefined();
  });

  it('the legacy-4.4 option keeps the older agent: without force-down it waits for Nova, then disables', async () => {
    const { report, recs } = await run('host-power-loss-fast-detection-no-forcedown.yaml');
    expect(report.exitCode).toBe(0);
    expect(first(recs, 'nova.evacuate.accepted')).toBeDefined();
  });
});

describe('C7 NovaEvacuate `handle_evacuations` and nova-compute-wait', () => {
  it('the in-progress marker is `<controller>@<epoch seconds>` (uname -n, date +%s)', async () => {
    const { recs } = await run('fenced-host-returns.yaml');
    const marker = first(recs, 'attrd.set', (r) => String(r.value).includes('@'))!;
    expect(marker.value).toBe(`controller-1@${Math.floor(marker.t / 1000)}`);
  });

  it('ExecStartPost=fence_compute -o on: no force-up while nova-compute is still starting (Type=notify, after init_host)', async () => {
    const { recs } = await run('fenced-host-returns.yaml');
    const starting = first(recs, 'nova-compute.starting', (r) => r.entity === 'compute-01')!;
    const running = first(recs, 'nova-compute.running', (r) => r.entity === 'compute-01' && r.t >= starting.t)!;
    const duringStart = recs.filter((r) => r.entity === 'compute-01' && r.t >= starting.t && r.t < running.t
      && (r.type === 'unfence.force-up-refused' || (r.type === 'nova.service.update' && r.forcedDown === false)));
    expect(duringStart).toEqual([]);
    const unfenced = recs.filter((r) => r.type === 'unfence.done' && r.entity === 'compute-01').at(-1)!;
    expect(unfenced.t).toBeGreaterThanOrEqual(running.t);
  });
});

describe('C8 Pacemaker fencing (daemons/fenced, daemons/controld)', () => {
  it('fenced_remote.c op_phase_off/op_phase_on: a reboot is IPMI off → fence_compute off → IPMI on, and success waits for the on phase', async () => {
    const { recs } = await run('fenced-host-returns.yaml');
    const off = first(recs, 'fence.power-off-confirmed')!;
    const flagged = first(recs, 'attrd.set', (r) => r.value === 'yes')!;
    const on = first(recs, 'bmc.action', (r) => r.action === 'on')!;
    const ok = first(recs, 'pacemaker.fence.ok')!;
    expect(off.t).toBeLessThan(flagged.t);
    expect(flagged.t).toBeLessThan(on.t);
    expect(on.t).toBeLessThan(ok.t);
  });

  it('reconnect_interval: a fenced node rejoins at a reconnection attempt, a whole number of intervals after the failure', async () => {
    const { recs } = await run('fenced-host-returns.yaml');
    const unclean = first(recs, 'pacemaker.node.unclean', (r) => r.entity === 'compute-01')!;
    const online = first(recs, 'pacemaker.node.online', (r) => r.entity === 'compute-01')!;
    expect((online.t - unclean.t) % 60_000).toBe(0);
  });

  it('controld_fencing.c abort_for_fencing_failure: 10 attempts at once, then one per cluster-recheck-interval', async () => {
    const { recs } = await run('fencing-impossible.yaml');
    const starts = recs.filter((r) => r.type === 'pacemaker.fence.start' && r.entity === 'compute-02').map((r) => r.t);
    expect(starts.length).toBeGreaterThan(10);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    expect(gaps.slice(0, 9).every((g) => g < 30_000)).toBe(true);
    expect(gaps[9]).toBeGreaterThanOrEqual(60_000);
  });
});

describe('C9 fence_ipmilan under Pacemaker 2.x (fencing.py check_input: --disable-timeout)', () => {
  it('an unreachable BMC costs ipmitool\'s retransmissions (-N 2, 4 retries) per try, 2 tries 1 s apart (st_actions.c update_remaining_timeout)', async () => {
    const { recs } = await run('fencing-impossible.yaml');
    const starts = recs.filter((r) => r.type === 'pacemaker.fence.start' && r.entity === 'compute-02');
    const fails = recs.filter((r) => r.type === 'pacemaker.fence.failed' && r.entity === 'compute-02');
    // two tries of 10 s each (plus the status query's round trip before each), 1 s apart
    const took = fails[0]!.t - starts[0]!.t;
    expect(took).toBeGreaterThanOrEqual(2 * 10_000 + 1_000);
    expect(took).toBeLessThanOrEqual(2 * 10_000 + 1_000 + 2 * 500);
  });

  it('power-on is bounded by stonith-timeout, not power_timeout, and its failure is ignored after a successful off', async () => {
    const { recs } = await run('fenced-host-returns.yaml');
    const on = first(recs, 'bmc.action', (r) => r.action === 'on')!;
    const ignored = first(recs, 'pacemaker.fence.on-failure-ignored', (r) => r.device === 'power')!;
    expect(ignored.t - on.t).toBeGreaterThan(50_000);
    expect(first(recs, 'pacemaker.fence.ok', (r) => r.t >= ignored.t)).toBeDefined();
  });
});
