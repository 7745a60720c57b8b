import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { loadScenario } from '../harness/scenario/index.js';
import { checkScenario } from '../harness/check/check-scenario.js';
import { DEFECTS } from '../harness/check/defects.js';

const scenario = join(import.meta.dirname, '../../scenarios/check-6-computes.yaml');
const BIN = join(import.meta.dirname, '../../bin/ihasim.js');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Schedules per second on the correct logic: this thread alone, then one worker thread per core. */
export async function throughputBench(budgetMs = 20_000): Promise<Record<string, number>> {
  const spec = await loadScenario(scenario);
  const one = await checkScenario(spec, { seed: 101, timeBudgetMs: budgetMs });
  const threads = availableParallelism();
  const pool = new Piscina({ filename: join(import.meta.dirname, 'check-worker.js'), minThreads: threads, maxThreads: threads });
  const t0 = performance.now();
  const results = await Promise.all(Array.from({ length: threads }, (_, i) => pool.run({ file: scenario, seed: 200 + i, budgetMs })));
  const secs = (performance.now() - t0) / 1000;
  await pool.destroy();
  const all = results.reduce((a, r) => a + r.runs, 0);
  return {
    oneCoreSchedulesPerSec: Math.round(one.runs / (one.elapsedMs / 1000)), oneCoreRuns: one.runs, oneCoreViolations: one.ok ? 0 : 1,
    threads, allCoresSchedulesPerSec: Math.round(all / secs), allCoresRuns: all, allCoresViolations: results.filter((r) => !r.ok).length,
  };
}

/** `ihasim check …` as a whole process: its wall seconds and the schedules its --json result says it ran. */
function checkProcess(args: string[]): { seconds: number; runs: number } {
  const t0 = performance.now();
  const out = execFileSync(process.execPath, [BIN, 'check', scenario, '--json', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return { seconds: (performance.now() - t0) / 1000, runs: (JSON.parse(out) as { runs: number }).runs };
}

/**
 * `ihasim check --jobs 1` against `--jobs 2`: one search (the correct logic, a fixed seed and run count) as a
 * whole process, start-up, worker start-up and JIT warm-up included, median of `rounds`. Both must run the same
 * number of schedules: the thread count never changes the search.
 */
export function checkJobsBench(runs = 4000, rounds = 3, seed = 101): Record<string, number> {
  const rate = { 1: [] as number[], 2: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    for (const jobs of [1, 2] as const) {
      const res = checkProcess(['--runs', String(runs), '--time-budget', '30m', '--seed', String(seed), '--jobs', String(jobs)]);
      if (res.runs !== runs) throw new Error(`--jobs ${jobs} ran ${res.runs} schedules, not ${runs}`);
      rate[jobs].push(runs / res.seconds);
    }
  }
  return {
    runs, seed, rounds, cores: availableParallelism(),
    oneThreadSchedulesPerSec: Math.round(median(rate[1])), twoWorkersSchedulesPerSec: Math.round(median(rate[2])),
    twoOverOne: +(median(rate[2]) / median(rate[1])).toFixed(2),
  };
}

/** Per defect, over `seeds` seeds: median wall time to the shrunk counterexample, and its size. */
export async function defectBench(seeds = 10): Promise<Record<string, number | string>[]> {
  const spec = await loadScenario(scenario);
  const rows: Record<string, number | string>[] = [];
  for (const d of DEFECTS) {
    const total: number[] = [];
    const size: number[] = [];
    let finder = '';
    for (let s = 1; s <= seeds; s++) {
      const t0 = performance.now();
      const r = await checkScenario(spec, { seed: s, timeBudgetMs: 60_000, defects: [d.name] });
      const cx = r.counterexample;
      if (!cx) continue;
      total.push(performance.now() - t0);
      size.push(cx.schedule.length);
      finder ||= [...new Set(cx.violations.map((v) => v.invariant))].join(', ');
    }
    rows.push({ defect: d.name, found: `${total.length}/${seeds}`, foundBy: finder, medianSecondsToShrunkResult: +(median(total) / 1000).toFixed(2), medianShrunkFaults: median(size), maxShrunkFaults: Math.max(...size) });
  }
  return rows;
}
