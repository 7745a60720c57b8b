import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import { runOrdered } from '../run/ordered-pool.js';
import type { Draw } from './draws.js';
import { firstFailureOf, newSearchState, requestStop, runScheduleSlice, type ScheduleOutcome, type ScheduleSlice } from './schedule-slice.js';

export interface FirstFailureOptions {
  spec: ScenarioSpec;
  defects: readonly string[];
  jobs: number;
  /** Schedules in the search: indices 0..total-1. */
  total: number;
  /** The schedules (and simulation seeds) of indices from..to-1; called with increasing, adjacent ranges. */
  draw: (from: number, to: number) => Draw[];
  /**
   * Polled between slices and every {@link STOP_POLL_MS}: true stops the search (Ctrl-C, the time budget). Slices
   * in flight end after their current run; what finished counts, up to the first unfinished schedule.
   */
  shouldStop: () => boolean;
  /** Called with the number of passing schedules folded so far, in index order. */
  onPass?: (passed: number) => void;
}

/** How often a stop is looked for while slices run. */
const STOP_POLL_MS = 50;

export interface FirstFailure {
  /** Schedules that passed, all of 0..passed-1. */
  passed: number;
  /** Simulation events of those runs. */
  events: number;
  /** The first failing index (= `passed`) and its draw, or null. */
  failing: { index: number; draw: Draw } | null;
  /** `shouldStop` ended the search before it had run everything or found a failure. */
  stopped: boolean;
}

/**
 * The search of `check --jobs N`: schedules run on worker threads in slices, and their outcomes are folded in
 * index order, so the first failing index is the one a one-thread search meets first, whatever order the
 * workers finish in. Once any worker fails at index j nothing beyond j is dispatched, and slices in flight stop
 * at j (see {@link runScheduleSlice}); slices below j run to the end, since one of them may fail earlier.
 */
export async function firstFailingSchedule(o: FirstFailureOptions): Promise<FirstFailure> {
  const state = newSearchState(o.total);
  const inFlight = new Map<number, Draw[]>();
  const result: FirstFailure = { passed: 0, events: 0, failing: null, stopped: false };
  const slice = (from: number, to: number): ScheduleSlice => {
    const draws = o.draw(from, to);
    inFlight.set(from, draws);
    return { kind: 'schedules', spec: o.spec, from, draws, defects: o.defects, state };
  };
  const fold = (outcomes: ScheduleOutcome[], from: number): void => {
    const draws = inFlight.get(from)!;
    inFlight.delete(from);
    outcomes.forEach((r, k) => {
      if (result.failing) return;
      if (r.failed) result.failing = { index: from + k, draw: draws[k]! };
      else {
        result.passed++;
        result.events += r.events;
        o.onPass?.(result.passed);
      }
    });
  };
  const failed = (): boolean => firstFailureOf(state) < o.total;
  const stopNow = (): boolean => {
    if (!result.stopped && o.shouldStop()) (result.stopped = true), requestStop(state);
    return result.stopped;
  };
  // Ctrl-C and the time budget end the slices in flight too, within a run, not only between slices.
  const poll = setInterval(stopNow, STOP_POLL_MS);
  await runOrdered<ScheduleOutcome>({
    total: o.total,
    jobs: o.jobs,
    slice,
    inThread: (from, to) => runScheduleSlice(slice(from, to)),
    onResults: fold,
    shouldStop: () => failed() || stopNow(),
  }).finally(() => clearInterval(poll));
  if (result.failing) result.stopped = false;
  return result;
}
