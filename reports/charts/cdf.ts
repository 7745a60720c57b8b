/**
 * A downtime CDF: for each series, the fraction of recovered instances back within t (y) against t (x), as a
 * step line. Optional SLO marks: a vertical line at a downtime bound and a horizontal one at a fraction.
 */
import { escapeHtml } from '../escape.js';
import { formatMs } from '../format-duration.js';
import { svgFrame, svgLegend, timeAxis } from '../svg/parts.js';
import { FRACTION_TICKS, linearScale, num } from '../svg/scale.js';

export interface CdfSeries {
  label: string;
  colour: string;
  /** (downtime ms, fraction of the sample at or below it), ascending in both. */
  steps: readonly [number, number][];
}

export interface CdfOptions {
  /** A downtime bound, drawn as a vertical dashed line. */
  boundMs?: { ms: number; label: string } | null;
  /** A fraction to reach (recovered-fraction targets), drawn as a horizontal dashed line. */
  fraction?: { value: number; label: string } | null;
}

/** Steps of an empirical CDF from sorted downtimes, thinned to at most `maxSteps` (the last one kept). */
export function cdfSteps(sorted: ArrayLike<number>, maxSteps = 400): [number, number][] {
  const n = sorted.length;
  const out: [number, number][] = [];
  if (n === 0) return out;
  const every = Math.max(1, Math.ceil(n / maxSteps));
  for (let i = 0; i < n; i++) {
    const last = i === n - 1 || sorted[i + 1] !== sorted[i];
    if (last && (i % every === 0 || i === n - 1 || out.length === 0)) out.push([sorted[i]!, (i + 1) / n]);
  }
  return out;
}

const WIDTH = 1000;
const LEFT = 50;

export function cdfSvg(series: readonly CdfSeries[], options: CdfOptions = {}): string {
  const drawn = series.filter((s) => s.steps.length > 0);
  if (drawn.length === 0) return '<p class="empty">No instance recovered: no downtime to draw.</p>';
  const all = drawn.flatMap((s) => s.steps.map(([ms]) => ms));
  const lo = Math.min(...all);
  let hi = Math.max(...all);
  if (options.boundMs) hi = Math.max(hi, options.boundMs.ms);
  const pad = Math.max((hi - lo) * 0.03, 500);
  const legendRows = Math.ceil(drawn.length / 3);
  const top = 14 + legendRows * 16;
  const height = top + 240;
  const bottom = height - 24;
  const x = linearScale([Math.max(0, lo - pad), hi + pad], [LEFT, WIDTH - 10]);
  const y = linearScale([0, 1], [bottom, top]);
  const body: string[] = [];
  for (let r = 0; r < legendRows; r++) body.push(svgLegend(drawn.slice(r * 3, r * 3 + 3).map((s) => ({ label: s.label, colour: s.colour })), 0, 12 + r * 16));
  body.push(timeAxis(x, top, bottom));
  for (const f of FRACTION_TICKS) {
    body.push(`<line class="grid" x1="${LEFT}" x2="${WIDTH - 10}" y1="${num(y(f))}" y2="${num(y(f))}"/><text class="tick" x="${LEFT - 4}" y="${num(y(f) + 4)}" text-anchor="end">${Math.round(f * 100)}%</text>`);
  }
  for (const s of drawn) {
    let d = `M${num(x(s.steps[0]![0]))} ${num(y(0))}`;
    let prevY = 0;
    for (const [ms, f] of s.steps) {
      d += `V${num(y(prevY))}H${num(x(ms))}V${num(y(f))}`;
      prevY = f;
    }
    body.push(`<path data-series="cdf" data-label="${escapeHtml(s.label)}" fill="none" stroke="${s.colour}" stroke-width="1.8" d="${d}"><title>${escapeHtml(s.label)}</title></path>`);
  }
  if (options.boundMs) {
    const bx = num(x(options.boundMs.ms));
    body.push(`<line class="slo" data-series="slo" x1="${bx}" x2="${bx}" y1="${top}" y2="${bottom}"/><text class="tick" x="${num(x(options.boundMs.ms) + 4)}" y="${top + 10}">${escapeHtml(options.boundMs.label)}</text>`);
  }
  if (options.fraction) {
    const fy = num(y(options.fraction.value));
    body.push(`<line class="slo" data-series="slo" x1="${LEFT}" x2="${WIDTH - 10}" y1="${fy}" y2="${fy}"/><text class="tick" x="${LEFT + 4}" y="${num(y(options.fraction.value) - 4)}">${escapeHtml(options.fraction.label)}</text>`);
  }
  const label = `Downtime CDF: fraction of recovered instances back within a time, ${drawn.length} series, ${formatMs(lo)} to ${formatMs(hi)}`;
  return svgFrame(WIDTH, height, label, body, 'cdf');
}
