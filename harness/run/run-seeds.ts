import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import type { MultiRunReport, RunReport } from '../../reports/report-types.js';
import { recoveryStats } from './metrics.js';
import { runSeedReport, type RunOptions } from './run-scenario.js';

/** `--seeds N`: N runs from the scenario seed (seed, seed+1, …), aggregated; the worst exit code wins. */
export function runSeeds(spec: ScenarioSpec, count: number, options: RunOptions & { onRun?: (r: RunReport, i: number) => void } = {}): MultiRunReport {
  const first = options.seed ?? spec.seed;
  const runs: RunReport[] = [];
  for (let i = 0; i < count; i++) {
    const report = runSeedReport(spec, { ...options, seed: first + i });
    report.events = report.verdict === 'fail' ? report.events : [];
    runs.push(report);
    options.onRun?.(report, i);
  }
  return aggregate(spec, runs);
}

function aggregate(spec: ScenarioSpec, runs: RunReport[]): MultiRunReport {
  const failed = runs.filter((r) => r.verdict === 'fail');
  const exitCode = (failed.some((r) => r.exitCode === 1) ? 1 : failed.length ? 2 : 0) as 0 | 1 | 2;
  const byInvariant: Record<string, number> = {};
  for (const r of runs) for (const name of new Set(r.violations.map((v) => v.invariant))) byInvariant[name] = (byInvariant[name] ?? 0) + 1;
  const downtimes = runs.flatMap((r) => r.instances.filter((o) => o.downtimeMs !== null && o.outcome.startsWith('recovered')).map((o) => o.downtimeMs!));
  return {
    ihasim: 1, kind: 'multi', scenario: spec.name, ...(spec.file ? { file: spec.file } : {}), seeds: runs.map((r) => r.seed),
    verdict: exitCode === 0 ? 'pass' : 'fail', exitCode,
    failures: failed.map((r) => `seed ${r.seed}: ${r.failures[0] ?? 'failed'} — replay: ${r.replay}`),
    metrics: {
      runs: runs.length, failedRuns: failed.length, recovery: recoveryStats(downtimes),
      instancesLost: sum(runs, (r) => r.metrics.instancesLost), dataLost: sum(runs, (r) => r.metrics.dataLost),
      falseFences: sum(runs, (r) => r.metrics.falseFences), violationsByInvariant: byInvariant,
    },
    runs,
  };
}

const sum = (runs: RunReport[], f: (r: RunReport) => number): number => runs.reduce((a, r) => a + f(r), 0);
