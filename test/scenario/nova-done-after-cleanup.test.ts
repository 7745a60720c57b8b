/**
 * A finding about real Nova: a rebuild that finishes after the returning source's nova-compute has cleaned up
 * (`_destroy_evacuated_instances`: accepted / pre-migrating / done → completed) rewrites its migration to `done`
 * (`resource_tracker.finish_evacuation`). No periodic task fixes it, and `ServiceController._check_for_evacuations`
 * refuses the force-up until the source's nova-compute restarts again. fence_compute (agents/compute/fence_compute.py
 * `set_power_status_on`, fence-agents ≥ 4.5.2) tries the force-up once and never again, so the operator's way out is
 * two steps: restart the source's nova-compute, then force it up (`openstack compute service set --up`).
 * The fixture was re-found by `ihasim check` on the model with Pacemaker's fencing retries (see its description).
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
    expect(report.violations.map((v) => v.message)).toEqual(['healthy host compute-5 is left forced down by recovery']);
    const rows = world.nova.migrations({ sourceCompute: 'compute-5' });
    expect(rows.map((m) => m.status).sort()).toEqual(['completed', 'done']);
    const completedAt = world.trace.records.find((r) => r.type === 'nova.evacuate.completed' && r.entity === 'ha-11')!.t;
    const doneAt = world.trace.records.find((r) => r.type === 'nova.evacuate.done' && r.entity === 'ha-11')!.t;
    expect(doneAt).toBeGreaterThan(completedAt);
    // The unfencing after nova-compute started (ExecStartPost=fence_compute -o on) was refused once, after the `done`.
    const refused = world.trace.records.filter((r) => r.type === 'unfence.force-up-refused' && r.entity === 'compute-5');
    expect(refused.at(-1)!.t).toBeGreaterThan(doneAt);
    expect(refused.every((r) => (r as unknown as { retried: boolean }).retried === false)).toBe(true);
    expect(world.nova.services({ host: 'compute-5', binary: 'nova-compute' })[0]).toMatchObject({ forcedDown: true, state: 'down' });
  });

  it("the operator's way out: restart the source's nova-compute (the row becomes `completed`), then force it up", async () => {
    const { world } = runScenario(await loadScenario(fixture));
    fault(world, 'nova-compute-crash', 'compute-5');
    fault(world, 'nova-compute-start', 'compute-5');
    world.kernel.run(world.kernel.now + 60_000);
    expect(world.nova.migrations({ sourceCompute: 'compute-5', status: 'done' })).toEqual([]);
    // Nothing retries the force-up by itself: the operator does it once the row is gone.
    expect(world.nova.services({ host: 'compute-5', binary: 'nova-compute' })[0]).toMatchObject({ forcedDown: true });
    world.nova.forceDown('compute-5', 'nova-compute', false);
    world.kernel.run(world.kernel.now + 60_000);
    expect(world.nova.services({ host: 'compute-5', binary: 'nova-compute' })[0]).toMatchObject({ forcedDown: false, status: 'enabled', state: 'up' });
  });
});
