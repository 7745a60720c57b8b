import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../harness/scenario/index.js';
import { runScenario } from '../../harness/run/run-scenario.js';

/**
 * What runs on a compute node lives and dies with the node's boot: a second fence ends the first boot's unfencing,
 * and a panicked kernel's kdump reboots only the boot that panicked.
 */
const fixtures = join(import.meta.dirname, '../fixtures');
type Rec = { t: number; type: string; entity: string; [k: string]: unknown };
const trace = async (name: string) => {
  const { report, world } = runScenario(await loadScenario(join(fixtures, name)), { trace: true });
  return { report, recs: (world.trace.records as unknown as Rec[]).filter((r) => r.entity === 'compute-01') };
};

describe('a node fenced again while its unfencing waits', () => {
  it('ocf/nova-compute-wait `nova_start` runs on the node: its evacuation_delay sleep dies with the boot, and only the new boot starts nova-compute, 120 s after it is back', async () => {
    const { report, recs } = await trace('refenced-during-unfence.yaml');
    const secondBoot = recs.filter((r) => r.type === 'host.booted')[1]!;
    const online = recs.find((r) => r.type === 'pacemaker.node.online' && r.t >= secondBoot.t)!;
    const starts = recs.filter((r) => r.type === 'nova-compute.starting');
    // The first boot never started nova-compute (it was fenced during its 120 s sleep); the second waited the full delay.
    expect(starts).toHaveLength(1);
    expect(starts[0]!.t).toBeGreaterThanOrEqual(online.t + 120_000);
    const forcedUp = recs.filter((r) => r.type === 'nova.service.update' && r.forcedDown === false);
    expect(forcedUp.every((r) => r.t > starts[0]!.t)).toBe(true);
    expect(report.failures).toEqual([]);
  });
});

describe('kdump after fencing', () => {
  it('kernel/panic.c `panic` → `__crash_kexec`: the capture kernel reboots the crashed boot; after fencing power-cycled the host it resets nothing', async () => {
    const { report, recs } = await trace('kdump-after-fence.yaml');
    expect(recs.filter((r) => r.type === 'host.booted')).toHaveLength(1);
    expect(recs.filter((r) => r.type === 'host.reset')).toEqual([]);
    expect(recs.filter((r) => r.type === 'pacemaker.fence.start')).toHaveLength(1);
    expect(report.failures).toEqual([]);
  });
});
