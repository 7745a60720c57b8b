import type { RunMetrics } from '../../reports/report-types.js';

/**
 * Exact recovery statistics over any number of downtimes in memory that grows with the number of distinct
 * values, not the number of samples: simulated downtimes are whole milliseconds within minutes, so a
 * million seeds of a rack loss keep a few hundred thousand counters, not tens of millions of samples.
 * Percentiles are nearest-rank, as `recoveryStats` computes them, and the mean sums the same values in
 * the same (ascending) order, so both agree to the bit.
 */
export class DowntimeHistogram {
  private readonly counts = new Map<number, number>();
  private total = 0;

  add(downtimeMs: number): void {
    this.counts.set(downtimeMs, (this.counts.get(downtimeMs) ?? 0) + 1);
    this.total++;
  }

  stats(): RunMetrics['recovery'] {
    const n = this.total;
    if (n === 0) return { count: 0, p50Ms: null, p95Ms: null, p99Ms: null, maxMs: null, meanMs: null };
    const keys = [...this.counts.keys()].sort((a, b) => a - b);
    const rank = (p: number): number => Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1));
    const wanted = [rank(50), rank(95), rank(99)];
    const found: number[] = [];
    let seen = 0;
    let sum = 0;
    for (const k of keys) {
      const c = this.counts.get(k)!;
      for (let i = 0; i < c; i++) sum += k;
      while (found.length < wanted.length && wanted[found.length]! < seen + c) found.push(k);
      seen += c;
    }
    return { count: n, p50Ms: found[0]!, p95Ms: found[1]!, p99Ms: found[2]!, maxMs: keys[keys.length - 1]!, meanMs: Math.round(sum / n) };
  }

  /**
   * The nearest-rank downtime at every whole percentile, p0 (the shortest) to p100 (the longest): 101 values
   * whatever the number of samples, so a report can draw the whole distribution without growing with the seeds.
   */
  percentiles(): number[] {
    const n = this.total;
    if (n === 0) return [];
    const keys = [...this.counts.keys()].sort((a, b) => a - b);
    const out: number[] = [];
    let seen = 0;
    for (const k of keys) {
      seen += this.counts.get(k)!;
      while (out.length <= 100 && Math.max(0, Math.ceil((out.length / 100) * n) - 1) < seen) out.push(k);
    }
    return out;
  }
}
