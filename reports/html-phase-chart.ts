/**
 * The critical-path chart of the HTML report: one horizontal bar per recovered instance, a segment per
 * phase (detect, fence, mark-down, evacuate, boot) in the phase's colour, all on one time scale.
 * Pure HTML and CSS (flex widths in %); a `title` on each segment gives its length on hover.
 */
import type { InstanceOutcome } from './report-types.js';
import { escapeHtml } from './escape.js';
import { formatMs } from './format-duration.js';
import { barLengthMs, PHASES, phaseSegments, recoveredWithPhases, type PhaseSegment } from './phases.js';

/** The chart section for `instances`, the longest recoveries first, at most `max` bars. */
export function phaseChartHtml(instances: readonly InstanceOutcome[], max: number): string {
  const bars = recoveredWithPhases(instances)
    .map((instance) => ({ instance, segments: phaseSegments(instance) }))
    .map((b) => ({ ...b, totalMs: barLengthMs(b.segments) }))
    .sort((a, b) => b.totalMs - a.totalMs);
  if (bars.length === 0) return '<p class="empty">No instance recovered.</p>';
  const shown = bars.slice(0, max);
  const scaleMs = Math.max(...shown.map((b) => b.totalMs), 1);
  const rows = shown.map((b) => barRow(b.instance.name, b.segments, b.totalMs, scaleMs));
  const more = bars.length > shown.length ? `<p class="more">… ${bars.length - shown.length} more instances</p>` : '';
  const axis = `<span></span><span class="axis">0 to ${escapeHtml(formatMs(scaleMs))}</span><span></span>`;
  return `${legendHtml()}\n<div class="chart">\n${rows.join('\n')}\n${axis}\n</div>${more}`;
}

/** The colour key: one swatch per phase. */
export function legendHtml(): string {
  const items = PHASES.map((p) => `<li><span class="swatch ph-${p.label}"></span>${escapeHtml(p.label)}</li>`);
  return `<ul class="legend">${items.join('')}</ul>`;
}

function barRow(name: string, segments: readonly PhaseSegment[], totalMs: number, scaleMs: number): string {
  const spans = segments.map((s) => {
    const title = `${s.phase.label} ${formatMs(s.ms)}`;
    return `<span class="seg ph-${s.phase.label}" style="width:${percent(s.ms, scaleMs)}%" title="${escapeHtml(title)}"></span>`;
  });
  const label = `<code>${escapeHtml(name)}</code>`;
  const described = `${name}: ${segments.map((s) => `${s.phase.label} ${formatMs(s.ms)}`).join(', ')}`;
  return `${label}<div class="track" role="img" aria-label="${escapeHtml(described)}">${spans.join('')}</div><span class="num">${escapeHtml(formatMs(totalMs))}</span>`;
}

/** Share of the scale in percent, to 3 decimals; always a plain finite number (it goes into CSS). */
function percent(ms: number, scaleMs: number): string {
  const p = (ms / scaleMs) * 100;
  return Number.isFinite(p) ? String(Math.round(Math.min(Math.max(p, 0), 100) * 1000) / 1000) : '0';
}
