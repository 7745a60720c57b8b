import { IhasimError } from '../errors.js';
import { parseDuration, formatDuration } from '../scenario/duration.js';
import type { PointSummary } from './summary.js';

export const METRICS = ['p50', 'p95', 'p99', 'max', 'mean', 'recovered-fraction'] as const;
export type Metric = (typeof METRICS)[number];
const COMPARISONS = ['<=', '>=', '<', '>'] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** An SLO a point must meet: `p99 <= 10m`, `recovered-fraction(10m) >= 0.99`. */
export interface Target {
  text: string;
  metric: Metric;
  /** recovered-fraction only: count an instance as recovered only within this long of failing. */
  withinMs: number | null;
  comparison: Comparison;
  /** ms for downtime metrics, a fraction 0..1 for recovered-fraction. */
  threshold: number;
}

const usage = (text: string, why: string): IhasimError => new IhasimError('IHASIM_USAGE', `--target '${text}': ${why}`, [
  { message: `metrics: ${METRICS.join(', ')} (recovered-fraction(10m): within 10 minutes); comparisons: ${COMPARISONS.join(' ')}; e.g. --target 'p99 <= 10m' or --target 'recovered-fraction(10m) >= 0.99'` },
]);

/** @throws IhasimError `IHASIM_USAGE` for an unknown metric, comparison or threshold. */
export function parseTarget(text: string): Target {
  const m = /^\s*([a-z0-9-]+)(?:\(([^)]*)\))?\s*(<=|>=|<|>)\s*(\S+)\s*$/.exec(text);
  if (!m) throw usage(text, 'expected METRIC COMPARISON VALUE');
  const metric = m[1] as Metric;
  if (!METRICS.includes(metric)) throw usage(text, `unknown metric \`${m[1]}\``);
  if (m[2] !== undefined && metric !== 'recovered-fraction') throw usage(text, `only recovered-fraction takes a duration in parentheses`);
  const withinMs = m[2] !== undefined ? duration(text, m[2]) : null;
  let threshold: number;
  if (metric === 'recovered-fraction') {
    const pct = /^(\d+(?:\.\d+)?)%$/.exec(m[4]!);
    threshold = pct ? Number(pct[1]) / 100 : Number(m[4]);
    if (!(threshold >= 0 && threshold <= 1)) throw usage(text, `recovered-fraction is compared with a fraction 0..1 (or a percentage), found \`${m[4]}\``);
  } else threshold = duration(text, m[4]!);
  return { text: text.trim(), metric, withinMs, comparison: m[3] as Comparison, threshold };
}

function duration(text: string, value: string): number {
  try {
    return parseDuration(value);
  } catch {
    throw usage(text, `\`${value}\` is not a duration (e.g. 10m, 90s)`);
  }
}

/** The value a point has for the target's metric (null: no sample). */
export function metricValue(p: PointSummary, t: Target): number | null {
  return t.metric === 'recovered-fraction' ? p.recoveredFraction.value : p.downtimeMs[t.metric].value;
}

/**
 * Whether a point meets the target. A point with no sample fails a downtime bound: no instance recovered is
 * not a fast recovery.
 */
export function meets(p: PointSummary, t: Target): boolean {
  const v = metricValue(p, t);
  if (v === null) return false;
  switch (t.comparison) {
    case '<=': return v <= t.threshold;
    case '<': return v < t.threshold;
    case '>=': return v >= t.threshold;
    case '>': return v > t.threshold;
  }
}

export function formatThreshold(t: Target): string {
  return t.metric === 'recovered-fraction' ? String(t.threshold) : formatDuration(t.threshold);
}
