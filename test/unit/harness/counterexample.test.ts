import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkScenario } from '../../../harness/check/check-scenario.js';
import { writeCounterexampleScenario } from '../../../harness/check/counterexample.js';
import { loadScenario } from '../../../harness/scenario/index.js';
import { runScenario } from '../../../harness/run/run-scenario.js';
import { ihasimVersion, scenarioHash } from '../../../harness/version.js';

const file = join(import.meta.dirname, '../../../scenarios/check-6-computes.yaml');

describe('check: the counterexample scenario records where it came from', async () => {
  const spec = await loadScenario(file);
  const result = await checkScenario(spec, { runs: 200, seed: 1, defects: ['trust-bmc-ok'] });
  const cx = result.counterexample!;
  const out = join(mkdtempSync(join(tmpdir(), 'ihasim-cx-')), 'cx.yaml');
  await writeCounterexampleScenario(spec, cx, out, { checkSeed: result.seed });
  const text = readFileSync(out, 'utf8');

  it('in a comment header: the ihasim version, the search seed and path, the scenario and its hash', () => {
    const header = text.split('\n').filter((l) => l.startsWith('#')).slice(0, 2).join('\n');
    expect(text.startsWith('#')).toBe(true);
    expect(header).toContain(`Written by ihasim ${ihasimVersion()} (ihasim check --seed ${result.seed} --path ${cx.path}) from ${file}`);
    expect(header).toContain(scenarioHash(spec));
  });

  it('in a machine-readable `provenance:` key, the version a string', () => {
    expect((parse(text) as { provenance: unknown }).provenance).toEqual({
      ihasim: ihasimVersion(), scenarioHash: scenarioHash(spec), seed: result.seed, path: cx.path,
    });
    expect(text).toContain(`ihasim: "${ihasimVersion()}"`);
  });

  it('which the loader accepts: the scenario reproduces the violation, and its report records the provenance without a warning', async () => {
    const { report } = runScenario(await loadScenario(out), { defects: ['trust-bmc-ok'], trace: false });
    expect(new Set(report.violations.map((v) => v.invariant))).toEqual(new Set(cx.violations.map((v) => v.invariant)));
    expect(report.scenarioProvenance).toEqual({ ihasim: ihasimVersion(), scenarioHash: scenarioHash(spec), seed: result.seed, path: cx.path });
    expect(report.scenarioHash).not.toBe(scenarioHash(spec));
    expect(report.scenarioProvenance!.scenarioHash).toBe(runScenario(spec, { trace: false }).report.scenarioHash);
    expect(report.warnings).toBeUndefined();
  });
});
