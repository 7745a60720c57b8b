/**
 * Shared SVG pieces of the report charts: the frame, a time axis with grid lines, a legend. Text passes through
 * `escapeHtml`; numbers through `num`.
 */
import { escapeHtml } from '../escape.js';
import { formatMs } from '../format-duration.js';
import { num, timeTicks, type Scale } from './scale.js';

/** An `<svg>` element of a fixed viewBox that scales to the page width; `label` is its accessible name. */
export function svgFrame(width: number, height: number, label: string, body: string[], chart: string): string {
  return `<svg class="chart-svg" data-chart="${escapeHtml(chart)}" viewBox="0 0 ${num(width)} ${num(height)}" width="${num(width)}" ` +
    `role="img" aria-label="${escapeHtml(label)}" xmlns="http://www.w3.org/2000/svg">\n<title>${escapeHtml(label)}</title>\n${body.join('\n')}\n</svg>`;
}

/** Vertical grid lines and labels of a time axis under [top, bottom]; `format` turns a tick into text. */
export function timeAxis(x: Scale, top: number, bottom: number, format: (ms: number) => string = formatMs): string {
  const [lo, hi] = x.domain;
  return timeTicks(lo, hi).map((t) => {
    const px = num(x(t));
    return `<line class="grid" x1="${px}" x2="${px}" y1="${num(top)}" y2="${num(bottom)}"/>` +
      `<text class="tick" x="${px}" y="${num(bottom + 14)}" text-anchor="middle">${escapeHtml(format(t))}</text>`;
  }).join('\n');
}

/** A horizontal legend of coloured swatches. */
export function svgLegend(items: readonly { label: string; colour: string }[], x: number, y: number): string {
  let cx = x;
  return items.map((item) => {
    const out = `<rect x="${num(cx)}" y="${num(y - 9)}" width="10" height="10" fill="${item.colour}"/>` +
      `<text class="legend-text" x="${num(cx + 14)}" y="${num(y)}">${escapeHtml(item.label)}</text>`;
    cx += 24 + item.label.length * 6.5;
    return out;
  }).join('\n');
}

/** Distinct colours for series (points of a plan), readable on white. */
export const SERIES_COLOURS = ['#4e79a7', '#e15759', '#59a14f', '#f28e2b', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#ff9da7', '#bab0ac'];

export function seriesColour(i: number): string {
  return SERIES_COLOURS[i % SERIES_COLOURS.length]!;
}

/** CSS for the SVG charts, appended to the report stylesheet. */
export const SVG_CSS = `
svg.chart-svg { max-width: 100%; height: auto; font: 11px system-ui, sans-serif; display: block; margin: .5rem 0; }
svg .grid { stroke: #d0d7de; stroke-width: 1; }
svg .tick, svg .legend-text, svg .lane-label { fill: #57606a; }
svg .lane-label { font-family: ui-monospace, monospace; }
svg .lane-bg { fill: #f6f8fa; }
svg .slo { stroke: #cf222e; stroke-width: 1.5; stroke-dasharray: 5 3; }
`;
