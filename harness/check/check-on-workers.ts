import fc from 'fast-check';
import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import { IhasimError } from '../errors.js';
import { checkProperty, counterexampleOf, DEFAULT_RUNS, type RunTally, type StopReason } from './check-property.js';
import type { CheckOptions, CheckResult } from './check-scenario.js';
import { DrawStream } from './draws.js';
import { firstFailingSchedule } from './first-failure.js';

/**
 * `ihasim check --jobs N` (N > 1): the same search as one thread, with the same result.
 *
 * 1. The draws of runs 0, 1, … are made in this thread exactly as `fc.check` would make them (see
 *    {@link DrawStream}); worker threads run them, and their outcomes are folded in run order, so the first
 *    failing run k is the one the one-thread search meets first (see {@link firstFailingSchedule}).
 * 2. Run k is then replayed and shrunk in this thread by `fc.check` with `path: 'k'`: fast-check's replay of a
 *    path, which walks the same draws and the same shrink tree, so the counterexample, its path and its shrink
 *    count are the one-thread search's. Shrinking is sequential by nature (each step depends on the last) and
 *    stays in this thread.
 *
 * The run count is the k runs that passed plus the replay's runs, as one thread counts them. Time budget and
 * Ctrl-C stop the search (slices in flight end after their current run) and count what finished, in run order.
 * The replay always runs schedule k itself, so a failure met before the budget ended or Ctrl-C is reported
 * (unshrunk if the stop came at once).
 */
export async function checkOnWorkers(spec: ScenarioSpec, options: CheckOptions, seed: number): Promise<CheckResult> {
  const defects = options.defects ?? [];
  const total = options.runs ?? DEFAULT_RUNS;
  const t0 = performance.now();
  const deadline = options.timeBudgetMs ? t0 + options.timeBudgetMs : Infinity;
  let signalled = false;
  const stopReason = (): StopReason => {
    if (signalled || options.shouldStop?.()) return (signalled = true), 'signal';
    return performance.now() >= deadline ? 'budget' : null;
  };
  const draws = new DrawStream(spec.check, seed, options.maxFaults);
  const search = await firstFailingSchedule({
    spec, defects, jobs: options.jobs ?? 1, total,
    draw: (from, to) => draws.take(from, to),
    shouldStop: () => stopReason() !== null,
    onPass: options.onRun,
  });
  if (!search.failing) {
    const interrupted = search.passed < total;
    return {
      // As fast-check reports it: a search interrupted before any run passed is not a success.
      ok: !(interrupted && search.passed === 0), runs: search.passed, seed, elapsedMs: performance.now() - t0,
      interrupted, stopped: signalled, events: search.events, counterexample: null,
    };
  }
  const k = search.failing.index;
  const tally: RunTally = { runs: 0, events: 0, stopped: signalled };
  const onRun = options.onRun && ((n: number) => options.onRun!(search.passed + n));
  // The first run is schedule k itself and always runs; the budget and Ctrl-C can only cut its shrinking short.
  const property = checkProperty(spec, { ...options, onRun }, tally, () => (tally.runs === 0 ? null : tally.stopped ? 'signal' : stopReason()));
  const details = await fc.check(property, { seed, path: String(k), numRuns: 1 });
  if (!details.failed || !details.counterexample) {
    throw new IhasimError('IHASIM_INTERNAL', `schedule ${k} of seed ${seed} failed on a worker thread but passed when replayed in the main thread`);
  }
  return {
    ok: false, runs: search.passed + tally.runs, seed, elapsedMs: performance.now() - t0, interrupted: details.interrupted,
    stopped: tally.stopped, events: search.events + tally.events, counterexample: counterexampleOf(spec, details, defects),
  };
}
