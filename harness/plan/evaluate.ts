import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import { runSlice } from '../run/seed-worker.js';
import { runOrdered } from '../run/ordered-pool.js';
import type { SeedRecord } from './seed-record.js';
import { specOnTheWire } from '../run/spec-transfer.js';

/** Units of work of a plan, point-major: unit u is point ⌊u / seeds⌋ on its (u mod seeds)-th seed. */
export interface UnitRange {
  from: number;
  /** Exclusive. */
  to: number;
}

export interface EvaluateOptions {
  /** Checked between runs: true stops before the next run (Ctrl-C). */
  shouldStop?: () => boolean;
  onRecord?: (record: SeedRecord, done: number, total: number) => void;
  defects?: readonly string[];
  /** Worker threads (`--jobs`); default 1: this thread. Records come back in unit order whatever the number. */
  jobs?: number;
  /** `--jobs` not given: add the worker threads only if the run turns out long (see ordered-pool.ts). */
  autoLanes?: boolean;
}

/**
 * Runs units `range` of a plan whose points are `specs`, each point on seeds first..first+count-1 (the same
 * seeds for every point: common random numbers), on `jobs` threads. The records are in unit order, so the
 * result is the same bytes for any number of threads. Stopped early, the records are a prefix of the range.
 */
export async function evaluateUnits(
  specs: readonly ScenarioSpec[], seeds: { first: number; count: number }, range: UnitRange, options: EvaluateOptions = {},
): Promise<{ records: SeedRecord[]; stopped: boolean }> {
  const records: SeedRecord[] = [];
  const total = range.to - range.from;
  const defects = options.defects ?? [];
  const slice = (from: number, to: number) => {
    const lo = Math.floor((range.from + from) / seeds.count);
    const hi = Math.floor((range.from + to - 1) / seeds.count);
    const mine = specs.slice(lo, hi + 1);
    return { kind: 'plan' as const, scenarios: mine.map(specOnTheWire), pointBase: lo, seeds, from: range.from + from, to: range.from + to, defects };
  };
  const { stopped } = await runOrdered<SeedRecord>({
    total, jobs: options.jobs ?? 1, autoLanes: options.autoLanes, slice, shouldStop: options.shouldStop,
    inThread: (from, to) => runSlice(slice(from, to)),
    onResults: (rs) => {
      for (const r of rs) {
        records.push(r);
        options.onRecord?.(r, records.length, total);
      }
    },
  });
  return { records, stopped };
}
