import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import type { Draw } from './draws.js';
import { runSchedule } from './run-schedule.js';

/**
 * `check --jobs N` (random or exhaustive): a slice of schedules, run in index order on a worker thread
 * (harness/run/seed-worker.ts) or, for a tiny search, in the main thread.
 */
export interface ScheduleSlice {
  kind: 'schedules';
  spec: ScenarioSpec;
  /** The search index of `draws[0]`. */
  from: number;
  draws: Draw[];
  defects: readonly string[];
  /** Shared by every worker of the search: see {@link newSearchState}. */
  state: SharedArrayBuffer;
}

/** What the main thread needs of one run: the schedule itself is replayed there if it failed. */
export interface ScheduleOutcome {
  failed: boolean;
  events: number;
}

/**
 * The state every worker of one search shares, two BigInt64 cells: [0] the lowest failing index met so far (the
 * search's size until one fails): a run with a higher index cannot be the first failure, so it is not run;
 * [1] non-zero once the main thread stops the search (Ctrl-C, time budget): slices in flight end after their
 * current run instead of running to the end.
 */
export function newSearchState(total: number): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(16);
  new BigInt64Array(buffer)[0] = BigInt(total);
  return buffer;
}

export const firstFailureOf = (state: SharedArrayBuffer): number => Number(Atomics.load(new BigInt64Array(state), 0));
export const requestStop = (state: SharedArrayBuffer): void => void Atomics.store(new BigInt64Array(state), 1, 1n);
const stopRequested = (state: SharedArrayBuffer): boolean => Atomics.load(new BigInt64Array(state), 1) !== 0n;

/** Lowers the shared first failure to `index` unless another worker already met a lower one. */
function lowerFirstFailure(state: SharedArrayBuffer, index: number): void {
  const cell = new BigInt64Array(state);
  const mine = BigInt(index);
  for (let seen = Atomics.load(cell, 0); mine < seen; ) {
    const before = Atomics.compareExchange(cell, 0, seen, mine);
    if (before === seen) return;
    seen = before;
  }
}

/**
 * Runs the slice's schedules in order, up to and including its first failure, and stops early once any worker
 * has failed at a lower index or the search is stopped: the results are a prefix of the slice
 * (harness/run/ordered-pool.ts folds up to the first short slice: what follows it is dropped).
 */
export function runScheduleSlice(task: ScheduleSlice): ScheduleOutcome[] {
  const out: ScheduleOutcome[] = [];
  for (let k = 0; k < task.draws.length; k++) {
    const index = task.from + k;
    if (index > firstFailureOf(task.state) || stopRequested(task.state)) break;
    const [schedule, simSeed] = task.draws[k]!;
    const { violations, events } = runSchedule(task.spec, schedule, simSeed, task.defects);
    const failed = violations.length > 0;
    out.push({ failed, events });
    if (failed) {
      lowerFirstFailure(task.state, index);
      break;
    }
  }
  return out;
}
