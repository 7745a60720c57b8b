import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario } from '../../harness/scenario/index.js';
import { checkScenario } from '../../harness/check/check-scenario.js';
import { writeCounterexampleScenario } from '../../harness/check/counterexample.js';
import { DEFECTS } from '../../harness/check/defects.js';
import { runExhaustive } from '../../harness/check/exhaustive.js';
import { runScenario } from '../../harness/run/run-scenario.js';
import { IhasimError } from '../../harness/errors.js';

const file = join(import.meta.dirname, '../../scenarios/check-6-computes.yaml');
const seed = Number(process.env.IHASIM_CHECK_SEED ?? Date.now() % 1_000_000);

describe('ihasim check: property-based chaos on check-6-computes', () => {
  it(`the correct recovery logic survives 1,500 generated schedules (seed ${seed})`, async () => {
    const spec = await loadScenario(file);
    const r = await checkScenario(spec, { runs: 1500, seed });
    const replay = `npx ihasim check scenarios/check-6-computes.yaml --seed ${seed} --path ${r.counterexample?.path}`;
    expect(r.counterexample?.text ?? null, `counterexample; replay: ${replay}`).toBeNull();
    expect(r.runs).toBe(1500);
  });

  // Pinned seeds and run counts, never a time budget: the verdict must not depend on how loaded the machine is.
  // With seed 1 every defect but one is found within 120 schedules (measured: 0-116); fixed-wait-no-force-down
  // needs three faults in one order and is found at schedule 17,511 with seed 2 (86,259 with seed 1).
  // unfence-before-evacuations-finish only bites when NovaEvacuate is held up (no quorum, a new DC) while a fenced
  // node reboots: the search finds it in minutes, not seconds (see the README), so its shrunk counterexample is
  // pinned below instead.
  const SEARCH: Record<string, { seed: number; runs: number }> = { 'fixed-wait-no-force-down': { seed: 2, runs: 20_000 } };
  for (const defect of DEFECTS.filter((d) => d.name !== 'unfence-before-evacuations-finish')) {
    const { seed: defectSeed, runs } = SEARCH[defect.name] ?? { seed: 1, runs: 1_000 };
    it(`finds defect ${defect.name} within ${runs} schedules (seed ${defectSeed}), shrinks it to ≤ 4 faults, and the written scenario reproduces it`, async () => {
      const spec = await loadScenario(file);
      const r = await checkScenario(spec, { runs, seed: defectSeed, defects: [defect.name] });
      const cx = r.counterexample!;
      expect(cx, `not found in ${runs} schedules: npx ihasim check scenarios/check-6-computes.yaml --seed ${defectSeed} --runs ${runs} --defect ${defect.name}`).not.toBeNull();
      expect(cx.schedule.length).toBeLessThanOrEqual(4);
      const out = join(mkdtempSync(join(tmpdir(), 'ihasim-cx-')), 'cx.yaml');
      await writeCounterexampleScenario(spec, cx, out, { checkSeed: defectSeed });
      const rerun = runScenario(await loadScenario(out), { defects: [defect.name], trace: false }).report;
      expect(rerun.scenarioProvenance).toMatchObject({ seed: defectSeed, path: cx.path });
      expect(new Set(rerun.violations.map((v) => v.invariant))).toEqual(new Set(cx.violations.map((v) => v.invariant)));
      expect(rerun.exitCode).not.toBe(0);
    });
  }

  it('unfence-before-evacuations-finish: its shrunk counterexample runs a VM twice with the defect, and passes without', async () => {
    const spec = await loadScenario(join(import.meta.dirname, '../fixtures/unfence-before-evacuations-finish.yaml'));
    const broken = runScenario(spec, { defects: ['unfence-before-evacuations-finish'], trace: false }).report;
    expect(broken.exitCode).toBe(1);
    expect(broken.violations.map((v) => v.invariant)).toEqual(expect.arrayContaining(['fence-before-evacuate', 'no-double-run']));
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
