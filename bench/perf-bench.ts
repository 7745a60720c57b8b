import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpyBaseline } from './core-bench.js';
import { rackLossYaml } from './scenarios.js';

const BIN = join(import.meta.dirname, '../../bin/ihasim.js');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Wall seconds of `node bin/ihasim.js ...args` as a whole process (start-up, workers, reports included). */
function wallSeconds(args: string[]): number {
  const t0 = performance.now();
  try {
    execFileSync(process.execPath, [BIN, ...args], { stdio: 'ignore' });
  } catch (err) {
    // Exit 2 is the rack loss's liveness findings (README "What the checker found"); anything else is a failure.
    if ((err as { status?: number }).status !== 2) throw err;
  }
  return (performance.now() - t0) / 1000;
}

function withRackScenario<T>(body: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'ihasim-bench-'));
  try {
    const file = join(dir, 'rack-16.yaml');
    writeFileSync(file, rackLossYaml({ hostsPerRack: 8, perHost: 20 }));
    return body(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `ihasim run --seeds 1000` of the 16-host rack loss as a whole process, one worker thread and two, against the
 * SimPy baseline measured in the same run (targets: ≥ 1.5× SimPy; 2 workers ≥ 1.7× one).
 */
export function wholeProcessSeedsBench(seeds = 1000, rounds = 3): Record<string, number | string> {
  return withRackScenario((file) => {
    const one: number[] = [];
    const two: number[] = [];
    const simpy: number[] = [];
    for (let r = 0; r < rounds; r++) {
      one.push(seeds / wallSeconds(['run', file, '--seeds', String(seeds), '--jobs', '1', '--quiet']));
      two.push(seeds / wallSeconds(['run', file, '--seeds', String(seeds), '--jobs', '2', '--quiet']));
      const base = simpyBaseline(3);
      if (base !== null) simpy.push(base);
    }
    const res: Record<string, number | string> = {
      seeds, oneWorkerSeedsPerSec: Math.round(median(one)), twoWorkersSeedsPerSec: Math.round(median(two)),
      twoOverOne: +(median(two) / median(one)).toFixed(2),
    };
    if (simpy.length) {
      res.simpySeedsPerSec = Math.round(median(simpy));
      res.oneWorkerOverSimpy = +(median(one) / median(simpy)).toFixed(2);
      res.twoWorkersOverSimpy = +(median(two) / median(simpy)).toFixed(2);
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
  const ms = Array.from({ length: times }, () => wallSeconds(['--help']) * 1000);
  return { medianMs: Math.round(median(ms)), bestMs: Math.round(Math.min(...ms)), targetMs: 150 };
}
