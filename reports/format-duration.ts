/**
 * Compact, human-readable simulated durations for every report renderer (JUnit, Markdown, HTML).
 * Local to reports on purpose: scenario durations (`5m`, `20s`) are parsed and printed elsewhere.
 */

const SECOND_MS = 1_000;
const MINUTE_MS = 60 * SECOND_MS;

/** Placeholder for an absent value (a phase that did not happen, a metric with no samples). */
export const NO_VALUE = '—';

/**
 * Formats milliseconds of simulated time, choosing the unit by magnitude:
 * `0ms`, `850ms`, `12.4s`, `12s`, `5m12s`, `1h02m`. `null` and non-finite numbers render as `—`.
 * Rounding never produces an out-of-range lower unit: 59,960 ms is `1m00s`, not `60.0s`.
 */
export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return NO_VALUE;
  if (ms < 0) return `-${formatMs(-ms)}`;
  if (Math.round(ms) < SECOND_MS) return `${Math.round(ms)}ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return formatSeconds(tenths);
  const seconds = Math.round(ms / SECOND_MS);
  if (seconds < 3_600) return `${Math.floor(seconds / 60)}m${pad2(seconds % 60)}s`;
  const minutes = Math.round(ms / MINUTE_MS);
  return `${Math.floor(minutes / 60)}h${pad2(minutes % 60)}m`;
}

/** `124` tenths → `12.4s`; whole seconds drop the decimal (`120` → `12s`). */
function formatSeconds(tenths: number): string {
  const whole = Math.floor(tenths / 10);
  const frac = tenths % 10;
  return frac === 0 ? `${whole}s` : `${whole}.${frac}s`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

