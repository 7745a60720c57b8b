import { DowntimeHistogram } from '../run/downtime-histogram.js';
import { nearestRankIndex, percentileInterval } from './bootstrap.js';
import { PHASE_NAMES, type PhaseName, type SeedRecord } from './seed-record.js';

/** A statistic over a point's runs and its 95 % bootstrap interval (null: no sample, or too few). */
export interface Estimate {
  value: number | null;
  ci95: [number, number] | null;
}

export const DOWNTIME_STATS = ['p50', 'p95', 'p99', 'max', 'mean'] as const;
export type DowntimeStat = (typeof DOWNTIME_STATS)[number];

/** One point of a plan, summarised over its seeds. */
export interface PointSummary {
  point: number;
  /** The varied keys and their values at this point, as written. */
  values: Record<string, string>;
  runs: number;
  /** Runs that failed (any exit code other than 0). */
  failedRuns: number;
  /** Recovered (evacuated and back) instances over all runs: the downtime sample. */
  recovered: number;
  downtimeMs: Record<DowntimeStat, Estimate>;
  /** See {@link recoveredFraction}; `withinMs` null means "by the end of the run". */
  recoveredFraction: Estimate & { withinMs: number | null; of: number };
  notRecoveredByReason: Record<string, number>;
  runsWithViolationsByInvariant: Record<string, number>;
  /** Mean of each phase over the recovered instances that went through it (ms, rounded). */
  phasesMeanMs: Record<PhaseName, number | null>;
  /** Means per run of what recovery left behind and what it cost (two decimals). */
  endState: { hostsLeftDisabled: number; operatorActions: number; novaApiCalls: number };
}

/**
 * The pooled downtime statistics of every resample, as if each resample's downtimes were pooled and sorted, but
 * with one sort per point: the point's downtimes are sorted once, each remembering its run, and a resample (which
 * takes run i c_i times) is one pass weighting each downtime by c_i. Nearest ranks, max and mean come out the same
 * (downtimes are whole milliseconds, so sums are exact in any order); sorting each resample's ~30,000 downtimes
 * cost a 24-point plan of 200 seeds most of a minute.
 */
function resampledStats(records: readonly SeedRecord[], resamples: readonly Uint32Array[]): Record<DowntimeStat, number | null>[] {
  let total = 0;
  for (const r of records) total += r.downtimesMs.length;
  const values = new Float64Array(total);
  const runOf = new Uint32Array(total);
  const sums = new Float64Array(records.length);
  let k = 0;
  records.forEach((r, i) => {
    for (const v of r.downtimesMs) (values[k] = v), (runOf[k++] = i), (sums[i]! += v);
  });
  const order = Uint32Array.from({ length: total }, (_, j) => j).sort((a, b) => values[a]! - values[b]!);
  const sorted = Float64Array.from(order, (j) => values[j]!);
  const sortedRun = Uint32Array.from(order, (j) => runOf[j]!);
  const lengths = Uint32Array.from(records, (r) => r.downtimesMs.length);
  const times = new Uint32Array(records.length);
  return resamples.map((idx) => {
    times.fill(0);
    for (let i = 0; i < idx.length; i++) times[idx[i]!]!++;
    let n = 0;
    let sum = 0;
    for (let i = 0; i < records.length; i++) (n += times[i]! * lengths[i]!), (sum += times[i]! * sums[i]!);
    if (n === 0) return { p50: null, p95: null, p99: null, max: null, mean: null };
    const at = (rank: number): number => weightedAt(sorted, sortedRun, times, rank, n);
    return {
      p50: at(nearestRankIndex(n, 50)), p95: at(nearestRankIndex(n, 95)), p99: at(nearestRankIndex(n, 99)), max: at(n - 1), mean: Math.round(sum / n),
    };
  });
}

/**
 * The value at 0-based `rank` of the pooled sample of `n`, where `sorted[j]` counts `times[run[j]]` times: walked
 * from the nearer end (the high percentiles and the max are a few steps from the top).
 */
function weightedAt(sorted: Float64Array, run: Uint32Array, times: Uint32Array, rank: number, n: number): number {
  let seen = 0;
  if (rank < n / 2) {
    for (let j = 0; j < sorted.length; j++) {
      seen += times[run[j]!]!;
      if (rank < seen) return sorted[j]!;
    }
  } else {
    const fromTop = n - 1 - rank;
    for (let j = sorted.length - 1; j >= 0; j--) {
      seen += times[run[j]!]!;
      if (fromTop < seen) return sorted[j]!;
    }
  }
  throw new Error(`rank ${rank} outside a pooled sample of ${n}`);
}

/**
 * recovered-fraction: of the affected instances the recovery policy opts in (every instance that failed, except
 * those not recovered for `not-opted-in`; never-placed ones never failed), the fraction serving again by the
 * end of the run — within `withinMs` of failing when given — pooled over the runs.
 */
function recoveredFraction(records: readonly SeedRecord[], indexes: ArrayLike<number> | null, withinMs: number | null, backOf = backCounts(records, withinMs)): number | null {
  let back = 0;
  let of = 0;
  const n = indexes ? indexes.length : records.length;
  for (let i = 0; i < n; i++) {
    const run = indexes ? indexes[i]! : i;
    of += records[run]!.optedInAffected;
    back += backOf[run]!;
  }
  return of === 0 ? null : back / of;
}

/** Per run, its instances serving again (within `withinMs` of failing when given): counted once, not per resample. */
function backCounts(records: readonly SeedRecord[], withinMs: number | null): Uint32Array {
  return Uint32Array.from(records, (r) => (withinMs === null ? r.backMs.length : r.backMs.filter((d) => d <= withinMs).length));
}

function countBy(records: readonly SeedRecord[], keysOf: (r: SeedRecord) => Iterable<[string, number]>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) for (const [k, n] of keysOf(r)) out[k] = (out[k] ?? 0) + n;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Summarises one point's runs (in seed order). `resamples` are the bootstrap's seed indexes
 * ({@link resampleIndexes}); every interval comes from the same resamples.
 */
export function summarisePoint(
  point: number, values: Record<string, string>, records: readonly SeedRecord[], resamples: readonly Uint32Array[], withinMs: number | null,
): PointSummary {
  // Point estimates from the exact histogram `run --seeds` uses, so a plan point and a `run --seeds` agree.
  const histogram = new DowntimeHistogram();
  for (const r of records) for (const d of r.downtimesMs) histogram.add(d);
  const exact = histogram.stats();
  const boot = resampledStats(records, resamples);
  const backOf = backCounts(records, withinMs);
  const fracBoot = resamples.map((idx) => recoveredFraction(records, idx, withinMs, backOf));
  const estimate = (value: number | null, stat: DowntimeStat): Estimate => ({ value, ci95: percentileInterval(boot.map((b) => b[stat])) });
  const phasesMeanMs = Object.fromEntries(PHASE_NAMES.map((p) => {
    let sum = 0;
    let n = 0;
    for (const r of records) { sum += r.phaseSums[p]; n += r.phaseCounts[p]; }
    return [p, n === 0 ? null : Math.round(sum / n)];
  })) as Record<PhaseName, number | null>;
  return {
    point, values, runs: records.length, failedRuns: records.filter((r) => r.exitCode !== 0).length, recovered: exact.count,
    downtimeMs: {
      p50: estimate(exact.p50Ms, 'p50'), p95: estimate(exact.p95Ms, 'p95'), p99: estimate(exact.p99Ms, 'p99'),
      max: estimate(exact.maxMs, 'max'), mean: estimate(exact.meanMs, 'mean'),
    },
    recoveredFraction: {
      value: recoveredFraction(records, null, withinMs), ci95: percentileInterval(fracBoot), withinMs,
      of: records.reduce((a, r) => a + r.optedInAffected, 0),
    },
    notRecoveredByReason: countBy(records, (r) => Object.entries(r.notRecovered)),
    runsWithViolationsByInvariant: countBy(records, (r) => r.violations.map((v) => [v, 1] as [string, number])),
    phasesMeanMs,
    endState: {
      hostsLeftDisabled: meanOf(records, (r) => r.hostsLeftDisabled), operatorActions: meanOf(records, (r) => r.operatorActions),
      novaApiCalls: meanOf(records, (r) => r.novaApiCalls),
    },
  };
}

/** Mean per run, rounded to two decimals (0 without runs). */
function meanOf(records: readonly SeedRecord[], pick: (r: SeedRecord) => number): number {
  if (records.length === 0) return 0;
  return Math.round((records.reduce((a, r) => a + pick(r), 0) / records.length) * 100) / 100;
}
