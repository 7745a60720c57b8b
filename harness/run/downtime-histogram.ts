import type { RunMetrics } from '../../reports/report-types.js';

/** Downtimes buffered before the first merge; later, as many as there are distinct values (see `merge`). */
const MIN_PENDING = 4096;

/**
 * Exact recovery statistics over any number of downtimes in memory that grows with the number of distinct
 * values, not the number of samples: simulated downtimes are whole milliseconds within minutes, so a
 * million seeds of a rack loss keep a few hundred thousand counters, not tens of millions of samples.
 * Percentiles are nearest-rank, as `recoveryStats` computes them, and the mean sums the same values in
 * the same (ascending) order, so both agree to the bit.
 *
 * Shaped for the multi-seed fold, which adds every recovered instance of every seed: `add` only appends to a
 * buffer; the buffer is sorted (a typed array sorts numerically, natively) and merged into the sorted distinct
 * values when full. The buffer grows with the distinct values, so a merge's linear cost is spread over as many
 * adds, and the statistics walk values already in order. (A Map of counts cost a hash update per sample and a
 * sort of every key per statistic.)
 */
export class DowntimeHistogram {
  /** The distinct downtimes merged so far, ascending (the first `distinct`), and how often each was added. */
  private values = new Float64Array(0);
  private counts = new Float64Array(0);
  private distinct = 0;
  /** Downtimes added since the last merge (the first `pendingCount`). */
  private pending = new Float64Array(MIN_PENDING);
  private pendingCount = 0;
  private total = 0;

  add(downtimeMs: number): void {
    if (this.pendingCount === this.pending.length) this.merge();
    this.pending[this.pendingCount++] = downtimeMs;
    this.total++;
  }

  stats(): RunMetrics['recovery'] {
    const n = this.total;
    if (n === 0) return { count: 0, p50Ms: null, p95Ms: null, p99Ms: null, maxMs: null, meanMs: null };
    this.merge();
    const rank = (p: number): number => Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1));
    const wanted = [rank(50), rank(95), rank(99)];
    const found: number[] = [];
    let seen = 0;
    let sum = 0;
    for (let i = 0; i < this.distinct; i++) {
      const k = this.values[i]!;
      const c = this.counts[i]!;
      for (let j = 0; j < c; j++) sum += k;
      while (found.length < wanted.length && wanted[found.length]! < seen + c) found.push(k);
      seen += c;
    }
    return { count: n, p50Ms: found[0]!, p95Ms: found[1]!, p99Ms: found[2]!, maxMs: this.values[this.distinct - 1]!, meanMs: Math.round(sum / n) };
  }

  /**
   * The nearest-rank downtime at every whole percentile, p0 (the shortest) to p100 (the longest): 101 values
   * whatever the number of samples, so a report can draw the whole distribution without growing with the seeds.
   */
  percentiles(): number[] {
    const n = this.total;
    if (n === 0) return [];
    this.merge();
    const out: number[] = [];
    let seen = 0;
    for (let i = 0; i < this.distinct; i++) {
      seen += this.counts[i]!;
      while (out.length <= 100 && Math.max(0, Math.ceil((out.length / 100) * n) - 1) < seen) out.push(this.values[i]!);
    }
    return out;
  }

  /** Sorts the pending downtimes into the distinct values (a merge of two ascending runs, equal values counted once). */
  private merge(): void {
    if (this.pendingCount === 0) return;
    const incoming = this.pending.subarray(0, this.pendingCount).sort();
    const values = new Float64Array(this.distinct + incoming.length);
    const counts = new Float64Array(values.length);
    let n = 0;
    let i = 0;
    let j = 0;
    while (i < this.distinct || j < incoming.length) {
      let v: number;
      let c: number;
      if (j === incoming.length || (i < this.distinct && this.values[i]! <= incoming[j]!)) {
        v = this.values[i]!;
        c = this.counts[i++]!;
      } else {
        v = incoming[j++]!;
        c = 1;
      }
      if (n > 0 && values[n - 1] === v) counts[n - 1] = counts[n - 1]! + c;
      else {
        values[n] = v;
        counts[n++] = c;
      }
    }
    this.values = values;
    this.counts = counts;
    this.distinct = n;
    this.pendingCount = 0;
    if (this.pending.length < n) this.pending = new Float64Array(n);
  }
}
