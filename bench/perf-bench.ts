import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpyBaseline } from './core-bench.js';
import { rackLossYaml } from './scenarios.js';

const BIN = join(import.meta.dirname, '../../bin/ihasim.js');
const STEADY = join(import.meta.dirname, 'steady-seeds.js');
const run = promisify(execFile);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Wall seconds of `node bin/ihasim.js ...args` as a whole process (start-up, workers, reports included). */
const wallSeconds = (args: string[]): number => nodeWallSeconds([BIN, ...args]);

/** Wall seconds of `node ...argv` as a whole process. */
function nodeWallSeconds(argv: string[]): number {
  const t0 = performance.now();
  try {
    execFileSync(process.execPath, argv, { stdio: 'ignore' });
  } catch (err) {
    // Exit 2 is the rack loss's liveness findings (README "What the checker found"); anything else is a failure.
    if ((err as { status?: number }).status !== 2) throw err;
  }
  return (performance.now() - t0) / 1000;
}

/** Runs `body` on the 16-host rack loss written to a temporary file, removed when `body` (or its promise) is done. */
function withRackScenario<T>(body: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'ihasim-bench-'));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  let result: T;
  try {
    const file = join(dir, 'rack-16.yaml');
    writeFileSync(file, rackLossYaml({ hostsPerRack: 8, perHost: 20 }));
    result = body(file);
  } catch (err) {
    cleanup();
    throw err;
  }
  if (result instanceof Promise) return result.finally(cleanup) as T;
  cleanup();
  return result;
}

/**
 * `ihasim run --seeds 1000` of the 16-host rack loss as a whole process, one worker thread and two, against the
 * SimPy baseline measured in the same run (targets: ≥ 1.5× SimPy; 2 workers ≥ 1.7× one).
 */
export function wholeProcessSeedsBench(seeds = 1000, rounds = 3): Record<string, number | string> {
  return withRackScenario((file) => {
    const one: number[] = [];
    const two: number[] = [];
    const auto: number[] = [];
    const simpy: number[] = [];
    for (let r = 0; r < rounds; r++) {
      one.push(seeds / wallSeconds(['run', file, '--seeds', String(seeds), '--jobs', '1', '--quiet']));
      two.push(seeds / wallSeconds(['run', file, '--seeds', String(seeds), '--jobs', '2', '--quiet']));
      // No --jobs: workers only if the run proves long enough (harness/run/ordered-pool.ts).
      auto.push(seeds / wallSeconds(['run', file, '--seeds', String(seeds), '--quiet']));
      const base = simpyBaseline(3);
      if (base !== null) simpy.push(base);
    }
    const res: Record<string, number | string> = {
      seeds, oneWorkerSeedsPerSec: Math.round(median(one)), twoWorkersSeedsPerSec: Math.round(median(two)),
      twoOverOne: +(median(two) / median(one)).toFixed(2), defaultSeedsPerSec: Math.round(median(auto)),
    };
    if (simpy.length) {
      res.simpySeedsPerSec = Math.round(median(simpy));
      res.oneWorkerOverSimpy = +(median(one) / median(simpy)).toFixed(2);
      res.twoWorkersOverSimpy = +(median(two) / median(simpy)).toFixed(2);
      res.defaultOverSimpy = +(median(auto) / median(simpy)).toFixed(2);
    } else res.simpy = 'not run: apt-get install python3-simpy3';
    return res;
  });
}

/** A plan of 24 points × 200 seeds of the 16-host rack loss, all cores (target ≤ 20 s on 2 cores). */
export function planBench(seeds = 200): Record<string, number> {
  return withRackScenario((file) => {
    const secs = wallSeconds(['plan', file, '--seeds', String(seeds), '--quiet',
      '--vary', 'recovery.forceDown=true,false', '--vary', 'config.pacemaker.remoteMonitorInterval=5s,10s,15s,20s,25s,30s,35s,40s,45s,50s,55s,60s']);
    return { points: 24, seedsPerPoint: seeds, runs: 24 * seeds, wallSeconds: +secs.toFixed(1), targetSeconds: 20 };
  });
}

/**
 * `ihasim run` of one seed of the 16-host rack loss as a whole process, median of 10: what a user waits for at the
 * prompt (start-up, reading the scenario, one cold seed, the report). No target of its own; see the CLI bundle.
 */
export function oneSeedBench(times = 10): Record<string, number> {
  return withRackScenario((file) => {
    const ms = Array.from({ length: times }, () => wallSeconds(['run', file, '--jobs', '1', '--quiet']) * 1000);
    return { medianMs: Math.round(median(ms)), bestMs: Math.round(Math.min(...ms)) };
  });
}

/** `ihasim --help` as a whole process, median of 10 (target ≤ 150 ms). */
export function helpBench(times = 10): Record<string, number> {
  const ms: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < times; i++) {
    ms.push(wallSeconds(['--help']) * 1000);
    bare.push(nodeWallSeconds(['-e', '0']) * 1000); // the floor under any command's start-up
  }
  // Node's own start-up, interleaved: on this machine it moves between ~40 and ~150 ms over a day.
  return { medianMs: Math.round(median(ms)), bestMs: Math.round(Math.min(...ms)), targetMs: 150, nodeAloneMedianMs: Math.round(median(bare)) };
}

/** Wall seconds of several `node ...args` processes started together (all must exit 0 or 2). */
async function sideBySide(argLists: string[][]): Promise<number> {
  const t0 = performance.now();
  await Promise.all(argLists.map((args) => run(process.execPath, args).catch((err: { code?: number }) => {
    if (err.code !== 2) throw err;
  })));
  return (performance.now() - t0) / 1000;
}

/**
 * Does a second lane pay on this machine, and where does it lose? (README "Benchmarks", the whole-process row.)
 * Warmed work: seeds/s of one in-process loop alone, then of two side by side. Fixed cost: one 1,000-seed process
 * against two 500-seed processes side by side (rounds interleaved). Warmed work scales when two loops keep most of
 * their alone rate; the fixed cost is CPU when two 500-seed processes take as long as one of 1,000.
 */
export async function pairBench(rounds = 4): Promise<Record<string, number | number[]>> {
  const alone = Number((await run(process.execPath, [STEADY, '1'])).stdout);
  const paired = await Promise.all(['100001', '200001'].map(async (s) => Number((await run(process.execPath, [STEADY, s])).stdout)));
  return withRackScenario(async (file) => {
    const one: number[] = [];
    const two: number[] = [];
    for (let r = 0; r < rounds; r++) {
      one.push(await sideBySide([[BIN, 'run', file, '--seeds', '1000', '--jobs', '1', '--quiet']]));
      two.push(await sideBySide([
        [BIN, 'run', file, '--seeds', '500', '--jobs', '1', '--quiet'],
        [BIN, 'run', file, '--seeds', '500', '--seed', '501', '--jobs', '1', '--quiet'],
      ]));
    }
    return {
      warmedAloneSeedsPerSec: alone, warmedSideBySideSeedsPerSec: paired,
      warmedScaling: +((paired[0]! + paired[1]!) / alone).toFixed(2),
      oneProcess1000Seconds: one.map((x) => +x.toFixed(2)), twoProcesses500Seconds: two.map((x) => +x.toFixed(2)),
    };
  });
}
