/**
 * A finding about real Nova: a rebuild that finishes after the returning source's nova-compute has cleaned up
 * (`_destroy_evacuated_instances`: accepted / pre-migrating / done → completed) rewrites its migration to `done`
 * (`resource_tracker.finish_evacuation`). No periodic task fixes it, and `ServiceController._check_for_evacuations`
 * refuses the force-up until the source's nova-compute restarts again — the operator's way out.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../harness/scenario/index.js';
import { runScenario } from '../../harness/run/run-scenario.js';
import { injectFault } from '../../sim/faults/inject.js';
import type { World } from '../../sim/world.js';

const fixture = join(import.meta.dirname, '../fixtures/done-after-cleanup.yaml');
const on = (host: string) => ({ pool: [host], text: host });
const fault = (world: World, kind: string, host: string) =>
  injectFault(world, { atMs: world.kernel.now, kind, target: on(host) } as Parameters<typeof injectFault>[1]);

describe('done after the source cleaned up (finish_evacuation after _destroy_evacuated_instances)', () => {
  it('leaves the source forced down for good: force-up refused while the `done` row remains', async () => {
    const { report, world } = runScenario(await loadScenario(fixture));
    expect(report.violations.map((v) => v.message)).toEqual(['healthy host compute-1 is left forced down by recovery']);
    const rows = world.nova.migrations({ sourceCompute: 'compute-1' });
    expect(rows.map((m) => m.status).sort()).toEqual(['completed', 'done']);
    const completedAt = world.trace.records.find((r) => r.type === 'nova.evacuate.completed' && r.entity === 'ha-07')!.t;
    const doneAt = world.trace.records.find((r) => r.type === 'nova.evacuate.done' && r.entity === 'ha-07')!.t;
    expect(doneAt).toBeGreaterThan(completedAt);
    expect(world.trace.records.filter((r) => r.type === 'unfence.force-up-refused' && r.entity === 'compute-1').length).toBeGreaterThan(10);
  });

  it("the operator's way out: restarting the source's nova-compute completes the row, and the next force-up is accepted", async () => {
    const { world } = runScenario(await loadScenario(fixture));
    fault(world, 'nova-compute-crash', 'compute-1');
    fault(world, 'nova-compute-start', 'compute-1');
    world.kernel.run(world.kernel.now + 60_000);
    expect(world.nova.migrations({ sourceCompute: 'compute-1', status: 'done' })).toEqual([]);
    expect(world.nova.services({ host: 'compute-1', binary: 'nova-compute' })[0]).toMatchObject({ forcedDown: false, status: 'enabled', state: 'up' });
  });
});
