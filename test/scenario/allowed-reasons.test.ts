import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../harness/scenario/index.js';
import { runScenario } from '../../harness/run/run-scenario.js';
import type { FaultSpec, ScenarioSpec } from '../../sim/scenario-spec.js';

const dir = join(import.meta.dirname, '../../scenarios');

/** rack-power-loss with the rack's BMCs dying with it (a BMC on the host's own power feed). */
async function rackLossWithItsBmcs(allowedReasons: string[]): Promise<ScenarioSpec> {
  const spec = await loadScenario(join(dir, 'rack-power-loss.yaml'));
  const rack = spec.faults[0]!;
  const bmcs: FaultSpec = { ...rack, kind: 'bmc-unreachable' };
  return { ...spec, faults: [bmcs, ...spec.faults], expect: { ...spec.expect, allowedReasons } };
}

describe('recovery-bounded: no reason excuses an opted-in instance unless the scenario allows it', () => {
  it('a rack whose BMCs die with it fails the run (exit 2), each instance named with reason fencing-impossible', async () => {
    const { report } = runScenario(await rackLossWithItsBmcs([]));
    const lost = report.instances.filter((o) => o.outcome === 'not-recovered');
    expect(lost.length).toBeGreaterThan(10);
    expect(lost.every((o) => o.reason === 'fencing-impossible')).toBe(true);
    expect(report.exitCode).toBe(2);
    const bounded = report.violations.filter((v) => v.invariant === 'recovery-bounded');
    expect(bounded.length).toBe(lost.length);
    expect(bounded[0]!.message).toMatch(/not recovered \(fencing-impossible\)/);
  });

  it('the same run passes when the scenario says it expects that loss (expect.allowedReasons)', async () => {
    const { report } = runScenario(await rackLossWithItsBmcs(['fencing-impossible']));
    expect(report.exitCode).toBe(0);
  });

  it('an unknown reason is bad input with a did-you-mean', async () => {
    const { validateScenarioFile } = await import('../../harness/scenario/index.js');
    const { writeFile, mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const text = (await import('node:fs')).readFileSync(join(dir, 'fencing-impossible.yaml'), 'utf8')
      .replace('allowedReasons: [fencing-impossible]', 'allowedReasons: [fencing-imposible]');
    const file = join(await mkdtemp(join(tmpdir(), 'ihasim-')), 'bad.yaml');
    await writeFile(file, text);
    const res = await validateScenarioFile(file);
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.error.exitCode).toBe(3);
      expect(res.error.details[0]!.path).toBe('expect.allowedReasons[0]');
      expect(res.error.details[0]!.message).toContain('did you mean `fencing-impossible`');
    }
  });

  it('scenarios/README.md documents every reason', async () => {
    const { REASON_NAMES } = await import('../../reports/reasons.js');
    const doc = (await import('node:fs')).readFileSync(join(dir, 'README.md'), 'utf8');
    for (const name of REASON_NAMES) expect(doc).toContain(`| \`${name}\` |`);
  });
});
