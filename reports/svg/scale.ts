/**
 * Linear scales and "nice" ticks for the report's SVG charts. Pure arithmetic; every number that reaches the
 * markup goes through {@link num} so that a NaN or an infinity never ends up in an attribute.
 */

export interface Scale {
  (value: number): number;
  domain: [number, number];
  range: [number, number];
}

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps everything to r0. */
export function linearScale(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  const f = ((v: number) => (span === 0 ? r0 : r0 + ((v - d0) / span) * (r1 - r0))) as Scale;
  f.domain = domain;
  f.range = range;
  return f;
}

/** A finite number with at most 2 decimals, as text for an SVG attribute. */
export function num(v: number): string {
  if (!Number.isFinite(v)) return '0';
  return String(Math.round(v * 100) / 100);
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
/** Steps a time axis may use: humans read "every 30 s" or "every 5 min", not "every 37 s". */
const TIME_STEPS = [100, 250, 500, SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND, MINUTE,
  2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, 60 * MINUTE, 120 * MINUTE, 360 * MINUTE];

/** Tick positions in ms covering [lo, hi] with about `target` ticks on a human step. */
export function timeTicks(lo: number, hi: number, target = 8): number[] {
  const span = Math.max(hi - lo, 1);
  const step = TIME_STEPS.find((s) => span / s <= target) ?? TIME_STEPS[TIME_STEPS.length - 1]!;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi && out.length < 100; t += step) out.push(t);
  return out;
}

/** Ticks for a 0..1 fraction axis. */
export const FRACTION_TICKS = [0, 0.25, 0.5, 0.75, 0.95, 1];
