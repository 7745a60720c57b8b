import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../harness/scenario/index.js';
import { runScenario } from '../../harness/run/run-scenario.js';
import { runSeeds } from '../../harness/run/run-seeds.js';
import type { RunReport } from '../../reports/report-types.js';

const dir = join(import.meta.dirname, '../../scenarios');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

describe('scenario library: every scenario exits as its expect block says', () => {
  it('has the scenarios the core issue asks for', () => expect(files.length).toBeGreaterThanOrEqual(18));
  for (const file of files) {
    it(file, async () => {
      const spec = await loadScenario(join(dir, file));
      const { report } = runScenario(spec, { trace: false });
      expect(report.failures, report.replay).toEqual([]);
      expect(report.exitCode).toBe(0);
      for (const e of report.expectedViolations) expect(e.found, e.name).toBe(true);
    });
  }
});

describe('determinism', () => {
  it('same scenario and seed give a byte-identical trace; another seed gives another trace', async () => {
    const spec = await loadScenario(join(dir, 'rack-power-loss.yaml'));
    const a = runScenario(spec, { seed: 11 }).world.trace.toJsonl();
    const b = runScenario(spec, { seed: 11 }).world.trace.toJsonl();
    const c = runScenario(spec, { seed: 12 }).world.trace.toJsonl();
    expect(a.length).toBeGreaterThan(1000);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });
});

describe('--seeds N disposes each world after judging it (a speed measure only)', () => {
  it('gives each seed the report a single run of that seed gives, whatever ran before it', async () => {
    const spec = await loadScenario(join(dir, 'fenced-host-returns.yaml'));
    const runs: RunReport[] = [];
    runSeeds(spec, 4, { seed: 5, trace: false, onRun: (r) => runs.push(r) });
    expect(runs).toHaveLength(4);
    for (const [i, r] of runs.entries()) {
      const single = runScenario(spec, { seed: 5 + i, trace: false }).report;
      expect({ ...r, events: [] }).toEqual({ ...single, events: [] });
    }
  });
});
