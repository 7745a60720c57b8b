/** Horizontal stacked bars: one per row (a plan point), one segment per phase, on a shared duration scale. */
import { escapeHtml } from '../escape.js';
import { formatMs } from '../format-duration.js';
import { svgFrame, svgLegend, timeAxis } from '../svg/parts.js';
import { linearScale, num } from '../svg/scale.js';

export interface StackRow {
  label: string;
  segments: readonly { label: string; colour: string; ms: number }[];
}

const WIDTH = 1000;
const ROW_H = 20;

export function stackedBarsSvg(rows: readonly StackRow[], legend: readonly { label: string; colour: string }[], labelWidth = 260): string {
  if (rows.length === 0) return '<p class="empty">Nothing to draw.</p>';
  const totals = rows.map((r) => r.segments.reduce((a, s) => a + s.ms, 0));
  const top = 22;
  const height = top + rows.length * ROW_H + 24;
  const x = linearScale([0, Math.max(...totals, 1) * 1.08], [labelWidth, WIDTH - 10]);
  const body = [svgLegend(legend, 0, 12), timeAxis(x, top, height - 22)];
  rows.forEach((row, i) => {
    const y = top + i * ROW_H;
    let at = 0;
    const rects = row.segments.filter((s) => s.ms > 0).map((s) => {
      const r = `<rect data-series="stack" data-phase="${escapeHtml(s.label)}" x="${num(x(at))}" y="${y + 3}" width="${num(Math.max(x(at + s.ms) - x(at), 0.5))}" height="${ROW_H - 6}" fill="${s.colour}">` +
        `<title>${escapeHtml(`${row.label}: ${s.label} ${formatMs(s.ms)}`)}</title></rect>`;
      at += s.ms;
      return r;
    });
    body.push(`<g data-series="stack-row"><text class="lane-label" x="${labelWidth - 6}" y="${y + ROW_H - 6}" text-anchor="end">${escapeHtml(row.label)}</text>${rects.join('')}` +
      `<text class="tick" x="${num(x(at) + 4)}" y="${y + ROW_H - 6}">${escapeHtml(formatMs(at))}</text></g>`);
  });
  return svgFrame(WIDTH, height, `Mean phase lengths, ${rows.length} rows`, body, 'stacked-bars');
}
