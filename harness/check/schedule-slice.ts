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
  /**
   * One BigInt64 shared by every worker of the search: the lowest failing index met so far (the search's size
   * until one fails). A run with a higher index cannot be the first failure, so it is not run.
   */
  firstFailure: SharedArrayBuffer;
}

/** What the main thread needs of one run: the schedule itself is replayed there if it failed. */
export interface ScheduleOutcome {
  failed: boolean;
  events: number;
}

export function newFirstFailure(total: number): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(8);
  new BigInt64Array(buffer)[0] = BigInt(total);
  return buffer;
}

export const firstFailureOf = (buffer: SharedArrayBuffer): number => Number(Atomics.load(new BigInt64Array(buffer), 0));

/** Lowers the shared first failure to `index` unless another worker already met a lower one. */
function lowerFirstFailure(buffer: SharedArrayBuffer, index: number): void {
  const cell = new BigInt64Array(buffer);
  const mine = BigInt(index);
  for (let seen = Atomics.load(cell, 0); mine < seen; ) {
    const before = Atomics.compareExchange(cell, 0, seen, mine);
    if (before === seen) return;
    seen = before;
  }
}

/**
 * Runs the slice's schedules in order, up to and including its first failure, and stops early once any worker
 * has failed at a lower index: the results are a prefix of the slice (harness/run/ordered-pool.ts folds up to
 * the first short slice, which is where the first failure is).
 */
export function runScheduleSlice(task: ScheduleSlice): ScheduleOutcome[] {
  const out: ScheduleOutcome[] = [];
  for (let k = 0; k < task.draws.length; k++) {
    const index = task.from + k;
    if (index > firstFailureOf(task.firstFailure)) break;
    const [schedule, simSeed] = task.draws[k]!;
    const { violations, events } = runSchedule(task.spec, schedule, simSeed, task.defects);
    const failed = violations.length > 0;
    out.push({ failed, events });
    if (failed) {
      lowerFirstFailure(task.firstFailure, index);
      break;
    }
  }
  return out;
}
