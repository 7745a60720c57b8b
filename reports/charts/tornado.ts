/**
 * A sensitivity (tornado) chart: one horizontal bar per varied key, from the lowest to the highest value of a
 * metric as that key moves through its values while every other key stays at its first value. The widest
 * bar is the key the metric is most sensitive to; bars are sorted widest first.
 */
import { escapeHtml } from '../escape.js';
import { formatMs } from '../format-duration.js';
import { svgFrame, timeAxis } from '../svg/parts.js';
import { linearScale, num } from '../svg/scale.js';

export interface TornadoRow {
  key: string;
  low: { value: string; ms: number };
  high: { value: string; ms: number };
}

const WIDTH = 1000;
const ROW_H = 26;
const LABEL_W = 300;

export function tornadoSvg(rows: readonly TornadoRow[], baselineMs: number | null, metric: string): string {
  if (rows.length === 0) return '<p class="empty">No key has two values with a sample: nothing to compare.</p>';
  const sorted = [...rows].sort((a, b) => (b.high.ms - b.low.ms) - (a.high.ms - a.low.ms) || a.key.localeCompare(b.key));
  const lo = Math.min(...sorted.map((r) => r.low.ms));
  const hi = Math.max(...sorted.map((r) => r.high.ms));
  const pad = Math.max((hi - lo) * 0.15, 1_000);
  const top = 10;
  const height = top + sorted.length * ROW_H + 26;
  const x = linearScale([Math.max(0, lo - pad), hi + pad], [LABEL_W, WIDTH - 10]);
  const body = [timeAxis(x, top, height - 22)];
  sorted.forEach((r, i) => {
    const y = top + i * ROW_H;
    const x0 = x(r.low.ms);
    const x1 = x(r.high.ms);
    body.push(`<g data-series="tornado-row"><text class="lane-label" x="${LABEL_W - 6}" y="${y + ROW_H / 2 + 4}" text-anchor="end">${escapeHtml(r.key)}</text>` +
      `<rect data-series="tornado" data-key="${escapeHtml(r.key)}" x="${num(x0)}" y="${y + 5}" width="${num(Math.max(x1 - x0, 2))}" height="${ROW_H - 10}" fill="#4e79a7">` +
      `<title>${escapeHtml(`${r.key}: ${metric} ${formatMs(r.low.ms)} at ${r.low.value}, ${formatMs(r.high.ms)} at ${r.high.value}`)}</title></rect>` +
      `<text class="tick" x="${num(x0 - 4)}" y="${y + ROW_H / 2 + 4}" text-anchor="end">${escapeHtml(r.low.value)}</text>` +
      `<text class="tick" x="${num(Math.max(x1, x0 + 2) + 4)}" y="${y + ROW_H / 2 + 4}">${escapeHtml(r.high.value)}</text></g>`);
  });
  if (baselineMs !== null) {
    const bx = num(x(baselineMs));
    body.push(`<line data-series="baseline" stroke="#1f2328" stroke-width="1" x1="${bx}" x2="${bx}" y1="${top}" y2="${height - 22}"/>`);
  }
  return svgFrame(WIDTH, height, `Sensitivity of ${metric} downtime to each varied key`, body, 'tornado');
}
