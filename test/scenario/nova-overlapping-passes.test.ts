/**
 * A finding about the real design, with the correct logic: NovaEvacuate (ocf/NovaEvacuate `handle_evacuations`)
 * treats an in-progress marker older than 60 s as a pass that died and evacuates the node again — "Nova won't react
 * well if there are two overlapping requests", its comment says. fence_evacuate (`_host_evacuate`) lists every
 * server Nova still places on the node, and until `finish_evacuation` that includes one whose rebuild is in flight.
 * From zed `compute/api.py` `API.evacuate` accepts that second evacuate (LP#1978983); the first rebuild, already in
 * `driver.spawn` (a long image download), boots its guest and only then fails its final `instance.save`.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../harness/scenario/index.js';
import { runScenario } from '../../harness/run/run-scenario.js';
import type { ScenarioSpec } from '../../sim/scenario-spec.js';

const file = join(import.meta.dirname, '../../scenarios/overlapping-passes-zed.yaml');
type Rec = { t: number; type: string; entity: string; [k: string]: unknown };
const run = (spec: ScenarioSpec) => {
  const { report, world } = runScenario(spec, { trace: true });
  return { report, recs: world.trace.records as unknown as Rec[] };
};

describe('overlapping recovery passes after a DC loss (NovaEvacuate marker expiry)', () => {
  it('handle_evacuations re-runs a pass whose marker is > 60 s old; on Nova >= zed API.evacuate accepts the second evacuate and the spawning first rebuild still boots: a double run', async () => {
    const { report, recs } = run(await loadScenario(file));
    const markers = recs.filter((r) => r.type === 'attrd.set' && r.entity === 'compute-06' && String(r.value).includes('@'));
    expect(markers.map((r) => String(r.value).split('@')[0])).toEqual(['controller-1', 'controller-2']);
    const [first, second] = markers.map((r) => Number(String(r.value).split('@')[1]));
    expect(second! - first!).toBeGreaterThan(60);
    const twice = recs.filter((r) => r.type === 'nova.evacuate.stale' && String(r.why).includes('while spawning'));
    expect(twice.length).toBeGreaterThan(0);
    expect(report.violations.every((v) => v.invariant === 'no-double-run')).toBe(true);
    expect(report.violations.length).toBeGreaterThan(0);
    expect(report.exitCode).toBe(0);
  });

  it('before zed (wallaby) check_instance_state refuses the second evacuate with 409: nothing runs twice', async () => {
    const spec = await loadScenario(file);
    const { report, recs } = run({ ...spec, config: { ...spec.config, nova: { ...spec.config.nova, release: 'wallaby' } } });
    expect(report.violations.filter((v) => v.invariant === 'no-double-run')).toEqual([]);
    expect(recs.filter((r) => r.type === 'nova.evacuate.stale')).toEqual([]);
  });
});
