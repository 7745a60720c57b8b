import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';

/** Bootstrap resamples per statistic: fixed, so a plan's intervals are the same on every machine. */
export const BOOTSTRAP_RESAMPLES = 1000;
export const CONFIDENCE = 0.95;

/**
 * The resamples of `n` seeds: each a list of `n` seed indexes drawn with replacement by pure-rand from `seed`.
 * Seeds (whole runs) are resampled, not instances: the instances of one run share its faults and its timing,
 * so they are correlated, and resampling them one by one would make the intervals too narrow. The same
 * resamples serve every point of a plan (they depend only on n and the seed), so the points' intervals are
 * paired like their runs.
 */
export function resampleIndexes(n: number, seed: number, resamples = BOOTSTRAP_RESAMPLES): Uint32Array[] {
  const gen = xoroshiro128plus(seed | 0);
  const out: Uint32Array[] = [];
  for (let b = 0; b < resamples; b++) {
    const idx = new Uint32Array(n);
    for (let i = 0; i < n; i++) idx[i] = uniformInt(gen, 0, n - 1);
    out.push(idx);
  }
  return out;
}

/** Nearest-rank percentile of sorted values (as `recoveryStats` and `DowntimeHistogram` compute it). */
export function nearestRank(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  return sorted[nearestRankIndex(n, p)]!;
}

/** The 0-based index of the `p`th percentile by nearest rank in a sorted sample of `n` (n ≥ 1). */
export function nearestRankIndex(n: number, p: number): number {
  return Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1));
}

/**
 * The percentile interval of a statistic over the resamples: its 2.5th and 97.5th percentiles. A resample
 * where the statistic is undefined (no recovery at all) is left out; when more than half are, there is no
 * interval (null).
 */
export function percentileInterval(values: readonly (number | null)[]): [number, number] | null {
  const defined = Float64Array.from(values.filter((v): v is number => v !== null)).sort();
  if (defined.length * 2 < values.length || defined.length === 0) return null;
  // Ranks in exact integer arithmetic (2.5 % of 1000 is rank 25, not 25.000000000000004 → 26).
  const n = defined.length;
  const rank = (tenthsOfPct: number): number => Math.min(n - 1, Math.max(0, Math.ceil((tenthsOfPct * n) / 1000) - 1));
  const tail = Math.round(((1 - CONFIDENCE) / 2) * 1000);
  return [defined[rank(tail)]!, defined[rank(1000 - tail)]!];
}
