import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../harness/scenario/index.js';
import { checkScenario } from '../../harness/check/check-scenario.js';
import { replaySchedule } from '../../harness/check/run-schedule.js';
import { writeCounterexampleScenario } from '../../harness/check/counterexample.js';
import { runScenario } from '../../harness/run/run-scenario.js';
import { MASAKARI_DEFECTS } from '../../sim/recovery/designs/masakari/defects.js';

/**
 * `ihasim check` on Masakari (sim/recovery/designs/masakari): its catalogued defect is found and shrunk, and the
 * known bugs that ARE the upstream defaults are found on the correct logic. Seeds and schedule counts are pinned.
 */
const dir = join(import.meta.dirname, '../../scenarios');
type Rec = { t: number; type: string; entity: string; [k: string]: unknown };

describe('Masakari\'s catalogued defect', () => {
  it('catalogues masakari-evacuate-unknown with its source', () => {
    expect(MASAKARI_DEFECTS.map((d) => d.name)).toEqual(['masakari-evacuate-unknown']);
  });

  it('finds masakari-evacuate-unknown (the engine before LP#1858762\'s fix) on masakari-check within 1,000 schedules (seed 1); the written scenario fails with it and passes without', async () => {
    const spec = await loadScenario(join(dir, 'masakari-check.yaml'));
    const r = await checkScenario(spec, { runs: 1_000, seed: 1, defects: ['masakari-evacuate-unknown'] });
    const cx = r.counterexample;
    expect(cx, 'npx ihasim check scenarios/masakari-check.yaml --seed 1 --runs 1000 --defect masakari-evacuate-unknown').not.toBeNull();
    expect(cx!.schedule.length).toBeLessThanOrEqual(4);
    const out = join(mkdtempSync(join(tmpdir(), 'masakari-cx-')), 'cx.yaml');
    await writeCounterexampleScenario(spec, cx!, out, { checkSeed: 1 });
    const written = await loadScenario(out);
    expect(runScenario(written, { defects: ['masakari-evacuate-unknown'], trace: false }).report.exitCode).not.toBe(0);
    expect(runScenario(written, { trace: false }).report.exitCode).toBe(0);
  });
});

describe('Masakari\'s upstream defaults, found by ihasim check without any defect', () => {
  it('LP#1858762: a node whose power-off the monitor cannot confirm is reported UNKNOWN and ignored for good (masakari-check without its excuse, partitions only, 200 schedules, seed 1)', async () => {
    const spec = structuredClone(await loadScenario(join(dir, 'masakari-check.yaml')));
    spec.expect.allowedReasons = spec.expect.allowedReasons.filter((r) => r !== 'not-evacuated');
    // Partitions alone: an IPMI cut while the node is declared offline is the UNKNOWN path; with BMC faults too the
    // search meets other losses first.
    spec.check.kinds = ['network-partition'];
    const r = await checkScenario(spec, { runs: 200, seed: 1 });
    const cx = r.counterexample;
    expect(cx, "npx ihasim check scenarios/masakari-check.yaml --seed 1 --runs 200 --faults network-partition --set 'expect.allowedReasons=[]'").not.toBeNull();
    expect(cx!.violations.some((v) => v.invariant === 'recovery-bounded' && /not-evacuated/.test(v.message))).toBe(true);
    const { world } = replaySchedule(spec, cx!.schedule, cx!.simSeed);
    const recs = world.trace.records as unknown as Rec[];
    const ignored = recs.filter((x) => x.type === 'masakari.notification.ignored');
    expect(ignored.length).toBeGreaterThan(0);
    expect(recs.filter((x) => x.type === 'masakari.notification.created' && x.event === 'STOPPED').every((x) => x.hostStatus === 'UNKNOWN')).toBe(true);
  });

  it('re-evacuation of rebuilds in flight (_evacuate_and_confirm resets a task_state): a double run on zed (masakari-reevacuate-rebuild, 200 schedules, seed 1)', async () => {
    const spec = await loadScenario(join(dir, 'masakari-reevacuate-rebuild.yaml'));
    const r = await checkScenario(spec, { runs: 200, seed: 1 });
    const cx = r.counterexample;
    expect(cx, 'npx ihasim check scenarios/masakari-reevacuate-rebuild.yaml --seed 1 --runs 200').not.toBeNull();
    expect(cx!.violations.some((v) => v.invariant === 'no-double-run')).toBe(true);
    const { world } = replaySchedule(spec, cx!.schedule, cx!.simSeed);
    const recs = world.trace.records as unknown as Rec[];
    expect(recs.some((x) => x.type === 'masakari.reset-state' && x.taskState === 'rebuilding')).toBe(true);
  });
});
