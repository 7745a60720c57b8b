import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import { runSeedReport } from '../run/run-scenario.js';
import { recordOf, type SeedRecord } from './seed-record.js';

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
}

/**
 * Runs units `range` of a plan whose points are `specs`, each point on seeds first..first+count-1 (the same
 * seeds for every point: common random numbers). Yields to the event loop between runs so a Ctrl-C is seen.
 */
export async function evaluateUnits(
  specs: readonly ScenarioSpec[], seeds: { first: number; count: number }, range: UnitRange, options: EvaluateOptions = {},
): Promise<{ records: SeedRecord[]; stopped: boolean }> {
  const records: SeedRecord[] = [];
  for (let u = range.from; u < range.to; u++) {
    await new Promise((resolve) => setImmediate(resolve));
    if (options.shouldStop?.()) return { records, stopped: true };
    const point = Math.floor(u / seeds.count);
    const seed = seeds.first + (u % seeds.count);
    const record = recordOf(point, runSeedReport(specs[point]!, { seed, trace: false, defects: options.defects ?? [] }));
    records.push(record);
    options.onRecord?.(record, u - range.from + 1, range.to - range.from);
  }
  return { records, stopped: false };
}
