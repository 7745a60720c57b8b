import { DowntimeHistogram } from '../run/downtime-histogram.js';
import { nearestRank, percentileInterval } from './bootstrap.js';
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

/** The downtime statistics of a pooled sample, as `run --seeds` reports them (nearest rank, mean rounded). */
function pooledStats(sorted: Float64Array): Record<DowntimeStat, number | null> {
  if (sorted.length === 0) return { p50: null, p95: null, p99: null, max: null, mean: null };
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    p50: nearestRank(sorted, 50), p95: nearestRank(sorted, 95), p99: nearestRank(sorted, 99),
    max: sorted[sorted.length - 1]!, mean: Math.round(sum / sorted.length),
  };
}

function pool(records: readonly SeedRecord[], indexes: ArrayLike<number> | null, pick: (r: SeedRecord) => readonly number[]): Float64Array {
  const n = indexes ? indexes.length : records.length;
  let size = 0;
  for (let i = 0; i < n; i++) size += pick(records[indexes ? indexes[i]! : i]!).length;
  const out = new Float64Array(size);
  let k = 0;
  for (let i = 0; i < n; i++) for (const v of pick(records[indexes ? indexes[i]! : i]!)) out[k++] = v;
  return out.sort();
}

/**
 * recovered-fraction: of the affected instances the recovery policy opts in (every instance that failed, except
 * those not recovered for `not-opted-in`; never-placed ones never failed), the fraction serving again by the
 * end of the run — within `withinMs` of failing when given — pooled over the runs.
 */
function recoveredFraction(records: readonly SeedRecord[], indexes: ArrayLike<number> | null, withinMs: number | null): number | null {
  let back = 0;
  let of = 0;
  const n = indexes ? indexes.length : records.length;
  for (let i = 0; i < n; i++) {
    const r = records[indexes ? indexes[i]! : i]!;
    of += r.optedInAffected;
    back += withinMs === null ? r.backMs.length : r.backMs.filter((d) => d <= withinMs).length;
  }
  return of === 0 ? null : back / of;
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
  const boot = resamples.map((idx) => pooledStats(pool(records, idx, (r) => r.downtimesMs)));
  const fracBoot = resamples.map((idx) => recoveredFraction(records, idx, withinMs));
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
