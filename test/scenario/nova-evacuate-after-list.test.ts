/**
 * A finding about the real design on Nova before zed (here wallaby), with the correct logic: an evacuate call made
 * from a server list that has gone stale.
 * - fence_evacuate.py `_host_evacuate` lists the node's servers once, then evacuates them one call at a time.
 * - Before zed `API.evacuate`'s `check_instance_state` refuses (409) an instance whose rebuild is in flight, so the
 *   pass fails and NovaEvacuate (`handle_evacuations`) leaves `evacuate=yes`: the pass runs again at every monitor.
 * - `API.evacuate` evacuates from `instance.host`, refusing only if that host's service `service_is_up`; the DB
 *   servicegroup driver (`DbDriver.join`) sends a restarted nova-compute's first heartbeat INITIAL_REPORTING_DELAY
 *   (5 s) after it joined, and `is_up` reads `last_seen_up`, so for those seconds the host looks down.
 * An instance whose queued rebuild lands on a just-restarted compute between one pass's list and its evacuate call is
 * evacuated from the host it now runs on: it runs twice.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../harness/scenario/index.js';
import { runScenario } from '../../harness/run/run-scenario.js';

const fixture = join(import.meta.dirname, '../fixtures/evacuated-after-list-wallaby.yaml');
type Rec = { t: number; type: string; entity: string; [k: string]: unknown };

describe('evacuated after the list: a retried pass evacuates an instance from the compute it just landed on (wallaby)', () => {
  it('fence_evacuate `_host_evacuate` + API.evacuate from instance.host + DbDriver.join INITIAL_REPORTING_DELAY: ha-02 runs on two hosts', async () => {
    const { report, world } = runScenario(await loadScenario(fixture), { trace: true });
    const recs = world.trace.records as unknown as Rec[];
    expect(report.violations.map((v) => v.invariant).sort()).toEqual(['fence-before-evacuate', 'no-double-run', 'no-split-writes']);
    expect(report.violations.every((v) => v.message.includes('ha-02'))).toBe(true);
    // The pass over compute-2 was refused (409, task_state rebuilding) again and again before.
    const refused = recs.filter((r) => r.type === 'fence-evacuate.error' && r.entity === 'ha-02' && r.status === 409);
    expect(refused.length).toBeGreaterThan(5);
    const landed = recs.find((r) => r.type === 'nova.evacuate.done' && r.entity === 'ha-02' && r.to === 'compute-3')!;
    const again = recs.find((r) => r.type === 'nova.evacuate.accepted' && r.entity === 'ha-02' && r.from === 'compute-3')!;
    const started = recs.filter((r) => r.type === 'nova-compute.running' && r.entity === 'compute-3').at(-1)!;
    expect(again.t).toBeGreaterThan(landed.t);
    expect(again.t - started.t).toBeLessThan(5_000 + world.config.nova.reportIntervalMs);
  });

  it('from zed the second evacuate is accepted, no 409 loop re-runs the pass, and the same schedule passes', async () => {
    const spec = await loadScenario(fixture);
    const { report } = runScenario({ ...spec, config: { ...spec.config, nova: { ...spec.config.nova, release: '2025.1' } } }, { trace: false });
    expect(report.failures).toEqual([]);
  });
});
