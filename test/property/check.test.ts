import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario } from '../../harness/scenario/index.js';
import { checkScenario, type Counterexample } from '../../harness/check/check-scenario.js';
import { replaySchedule } from '../../harness/check/run-schedule.js';
import { writeCounterexampleScenario } from '../../harness/check/counterexample.js';
import { DEFECTS, type DefectName } from '../../harness/check/defects.js';
import { runExhaustive } from '../../harness/check/exhaustive.js';
import { runScenario } from '../../harness/run/run-scenario.js';
import { IhasimError } from '../../harness/errors.js';
import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import type { World } from '../../sim/world.js';

const file = join(import.meta.dirname, '../../scenarios/check-6-computes.yaml');

/**
 * The findings about the real design that `ihasim check` reports on the correct logic in check-6-computes' default
 * space (README "What the checker found in the model itself"). Each is identified by its invariant and message
 * shape, and confirmed from the replayed run's own state, so a different bug with the same message is not excused.
 * (`rebuild-lost` and `no-capacity` are findings too, allowed by the scenario's `expect.allowedReasons`: they never
 * appear as violations here.)
 */
const FINDINGS: { name: string; invariant: string; message: RegExp; confirmedBy: (world: World, m: RegExpMatchArray) => boolean }[] = [
  {
    // A rebuild that finishes after the returning source's nova-compute cleaned up rewrites its migration to `done`
    // (`ResourceTracker.finish_evacuation` after `ComputeManager._destroy_evacuated_instances`); from xena
    // `ServiceController._check_for_evacuations` refuses the force-up, and fence_compute never retries it.
    name: 'done-after-cleanup', invariant: 'convergence', message: /^healthy host (compute-\d+) is left forced down by recovery$/,
    confirmedBy: (world, m) => world.nova.migrations({ sourceCompute: m[1]!, status: 'done' }).length > 0
      && world.trace.records.some((r) => r.type === 'unfence.force-up-refused' && r.entity === m[1] && String((r as unknown as { message: string }).message).includes('`done` evacuation migration records')),
  },
  {
    // Before zed only (see test/scenario/nova-evacuate-after-list.test.ts): a pass retried after a 409 lists an
    // instance on the old source, its queued rebuild lands on a just-restarted compute, and the evacuate call then
    // moves it from that compute, which Nova believes down until its first heartbeat (DbDriver.join, 5 s).
    name: 'evacuated-after-list', invariant: 'fence-before-evacuate', message: /^evacuation of (\S+) from (\S+) accepted before \2 was confirmed powered off$/,
    confirmedBy: (world, m) => landedJustBefore(world, m[1]!, m[2]!),
  },
  {
    name: 'evacuated-after-list', invariant: 'no-double-run', message: /^(\S+) executes on (\S+) and (\S+) at once/,
    confirmedBy: (world, m) => landedJustBefore(world, m[1]!, m[2]!) || landedJustBefore(world, m[1]!, m[3]!),
  },
  {
    name: 'evacuated-after-list', invariant: 'no-split-writes', message: /^shared disk of (\S+) has 2 writers: (\S+), (\S+)$/,
    confirmedBy: (world, m) => landedJustBefore(world, m[1]!, m[2]!) || landedJustBefore(world, m[1]!, m[3]!),
  },
];

/** `inst` was evacuated from `host` within seconds of its rebuild finishing there (a stale server list). */
function landedJustBefore(world: World, inst: string, host: string): boolean {
  const recs = world.trace.records as unknown as { t: number; type: string; entity: string; to?: string; from?: string }[];
  const landed = recs.filter((r) => r.type === 'nova.evacuate.done' && r.entity === inst && r.to === host);
  const again = recs.filter((r) => r.type === 'nova.evacuate.accepted' && r.entity === inst && r.from === host);
  return landed.some((l) => again.some((a) => a.t >= l.t && a.t - l.t < 10_000));
}

/** The documented finding each violation of a counterexample is, or null for one that is not documented. */
function explain(spec: ScenarioSpec, cx: Counterexample): (string | null)[] {
  const { world } = replaySchedule(spec, cx.schedule, cx.simSeed);
  return cx.violations.map((v) => {
    for (const f of FINDINGS) {
      const m = v.invariant === f.invariant ? v.message.match(f.message) : null;
      if (m && f.confirmedBy(world, m)) return f.name;
    }
    return null;
  });
}

// Seed 5 finds done-after-cleanup at schedule 124,200 (`ihasim check scenarios/check-6-computes.yaml --seed 5`);
// its path replays that schedule and its shrinking without the search.
const DONE_AFTER_CLEANUP = { seed: 5, path: '124200:48:2:1:10:0:3:10:10:13:11:11:11' };

describe('ihasim check: property-based chaos on check-6-computes', () => {
  for (const seed of [1, 2, 3]) {
    it(`the correct recovery logic on the default space: 1,500 schedules (seed ${seed}), no counterexample but the documented findings about the real design`, async () => {
      const spec = await loadScenario(file);
      const r = await checkScenario(spec, { runs: 1500, seed });
      if (r.counterexample) {
        const replay = `npx ihasim check scenarios/check-6-computes.yaml --seed ${seed} --path ${r.counterexample.path}`;
        expect(explain(spec, r.counterexample), `undocumented counterexample ${r.counterexample.text}; replay: ${replay}`).not.toContain(null);
      } else {
        expect(r.runs).toBe(1500);
      }
    });
  }

  it('the documented finding is recognised for what it is: seed 5\'s counterexample is done-after-cleanup, and a defect\'s is not', async () => {
    const spec = await loadScenario(file);
    const found = await checkScenario(spec, DONE_AFTER_CLEANUP);
    expect(found.counterexample!.violations.map((v) => v.invariant)).toEqual(['convergence']);
    expect(explain(spec, found.counterexample!)).toEqual(['done-after-cleanup']);
    const defect = await checkScenario(spec, { runs: 1_000, seed: 1, defects: ['trust-bmc-ok'] });
    expect(explain(spec, defect.counterexample!)).toContain(null);
  });

  // Before xena (24.0.0) Nova has no `_check_for_evacuations`: a force-up is never refused, so the `done` row the
  // race leaves behind blocks nothing (sim/nova/release.ts `forceUpChecksEvacuations`): the schedule that found it
  // passes on wallaby, and so do 1,500 more. Wallaby has a finding of its own, rarer (seed 5 finds it at schedule
  // 35,725): a stale server list evacuating an instance from the compute it just landed on; it is recognised too.
  it('on Nova wallaby (force-up never refused, before ServiceController._check_for_evacuations) done-after-cleanup is gone; its own finding is recognised', async () => {
    const spec = await loadScenario(file);
    const wallaby: ScenarioSpec = { ...spec, config: { ...spec.config, nova: { ...spec.config.nova, release: 'wallaby' } } };
    const again = await checkScenario(wallaby, DONE_AFTER_CLEANUP);
    expect(again.counterexample).toBeNull();
    const r = await checkScenario(wallaby, { runs: 1500, seed: 5 });
    expect(r.counterexample?.text ?? null, `replay with config.nova.release: wallaby, --seed 5 --path ${r.counterexample?.path}`).toBeNull();
    expect(r.runs).toBe(1500);
    const own = await checkScenario(wallaby, { seed: 5, path: '35725:38:6:14:10:10:13:13:13:19:19' });
    expect(explain(wallaby, own.counterexample!)).toEqual(['evacuated-after-list', 'evacuated-after-list', 'evacuated-after-list']);
  });

  // Pinned seeds and run counts, never a time budget: the verdict must not depend on how loaded the machine is.
  // Measured counts (schedules tried, shrinking included) are in the README's defect table. A counterexample must
  // be the defect's: the written scenario fails with the defect and passes without it.
  const SEARCH: Partial<Record<DefectName, { seed: number; runs: number; scenario?: string }>> = {
    // On Nova >= zed the second pass's evacuate is accepted and the first rebuild is aborted at its next
    // instance.save; it runs twice only when that rebuild was already spawning (a long image download), which
    // check-6-computes (shared storage) never has: its own playground has local disks and 40 instances on a host.
    'overlapping-recovery-passes': { seed: 1, runs: 1_000, scenario: 'overlapping-passes-zed.yaml' },
    // Found at 12,874 (seed 2) / 7,801 (seed 1) schedules: three faults in one order (see the README).
    'fixed-wait-no-force-down': { seed: 2, runs: 20_000 },
    // Needs quorum lost while a fenced node boots: 4,670 schedules with seed 1.
    'unfence-before-evacuations-finish': { seed: 1, runs: 10_000 },
  };
  for (const defect of DEFECTS) {
    const { seed: defectSeed, runs, scenario = 'check-6-computes.yaml' } = SEARCH[defect.name] ?? { seed: 1, runs: 1_000 };
    it(`finds defect ${defect.name} on ${scenario} within ${runs} schedules (seed ${defectSeed}), shrinks it to ≤ 4 faults, and the written scenario reproduces it (and passes without the defect)`, async () => {
      const spec = await loadScenario(join(import.meta.dirname, '../../scenarios', scenario));
      const r = await checkScenario(spec, { runs, seed: defectSeed, defects: [defect.name] });
      const cx = r.counterexample!;
      expect(cx, `not found in ${runs} schedules: npx ihasim check scenarios/${scenario} --seed ${defectSeed} --runs ${runs} --defect ${defect.name}`).not.toBeNull();
      expect(cx.schedule.length).toBeLessThanOrEqual(4);
      const out = join(mkdtempSync(join(tmpdir(), 'ihasim-cx-')), 'cx.yaml');
      await writeCounterexampleScenario(spec, cx, out, { checkSeed: defectSeed });
      const written = await loadScenario(out);
      const rerun = runScenario(written, { defects: [defect.name], trace: false }).report;
      expect(rerun.scenarioProvenance).toMatchObject({ seed: defectSeed, path: cx.path });
      expect(new Set(rerun.violations.map((v) => v.invariant))).toEqual(new Set(cx.violations.map((v) => v.invariant)));
      expect(rerun.exitCode).not.toBe(0);
      const correct = runScenario(written, { trace: false }).report;
      expect(correct.failures, `the correct logic fails this counterexample too: ${correct.replay}`).toEqual([]);
    });
  }

  it('unfence-before-evacuations-finish: its shrunk counterexample evacuates guests the unheld nova-compute resumed, before the re-fence; passes without', async () => {
    const spec = await loadScenario(join(import.meta.dirname, '../fixtures/unfence-before-evacuations-finish.yaml'));
    const broken = runScenario(spec, { defects: ['unfence-before-evacuations-finish'], trace: false }).report;
    expect(broken.exitCode).toBe(1);
    expect(broken.violations.map((v) => v.invariant)).toEqual(['fence-before-evacuate', 'fence-before-evacuate']);
    const correct = runScenario(spec, { trace: false }).report;
    expect(correct.failures, correct.replay).toEqual([]);
  });

  it('replaying seed and path reproduces the same counterexample exactly', async () => {
    const spec = await loadScenario(file);
    const first = await checkScenario(spec, { runs: 1_000, seed: 5, defects: ['trust-bmc-ok'] });
    const again = await checkScenario(spec, { seed: 5, path: first.counterexample!.path, defects: ['trust-bmc-ok'] });
    expect(again.counterexample!.text).toBe(first.counterexample!.text);
    expect(again.counterexample!.violations).toEqual(first.counterexample!.violations);
  });

  it('a check block that allows nothing is bad input (exit 3)', async () => {
    const spec = parseScenario('ihasim: 1\nname: empty\nduration: 10m\ncheck: { faults: [guest-panic] }\n');
    await expect(checkScenario(spec)).rejects.toThrow(IhasimError);
  });
});

describe('ihasim check --exhaustive', () => {
  const tiny = `ihasim: 1
name: tiny
duration: 20m
topology: { controllers: 3, computes: [{ name: "c{1..3}", vcpus: 8, ramMb: 16384, diskGb: 200 }] }
flavors: { f: { vcpus: 1, ramMb: 2048, diskGb: 10 } }
images: { i: { properties: {} } }
servers: [{ name: "vm{1..6}", flavor: f, image: i }]
config: { pacemaker: { remoteMonitorInterval: 5s, remoteMonitorTimeout: 5s }, host: { boot: 20s } }
check: { faults: [host-power-loss, host-hang, bmc-broken], window: [1m, 2m], maxDuration: 2m, grid: 30s }
`;
  it('explores every schedule of up to 2 faults on the grid and finds nothing in the correct logic', () => {
    const r = runExhaustive(parseScenario(tiny), { depth: 2, gridMs: 30_000, defects: [] });
    const singles = 3 * 3 * 3 * 2;
    expect(r.explored).toBe(singles + (singles * (singles - 1)) / 2);
    expect(r.failure).toBeNull();
  });

  it('finds the trust-bmc-ok defect by enumeration', () => {
    const r = runExhaustive(parseScenario(tiny), { depth: 2, gridMs: 30_000, defects: ['trust-bmc-ok'] });
    expect(r.failure?.violations.some((v) => v.kind === 'safety')).toBe(true);
  });
});
