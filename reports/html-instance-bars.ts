/**
 * Per-instance recovery bars on the run's absolute time axis: each bar starts when the instance stopped serving
 * and its phase segments (detect, fence, mark-down, evacuate, boot, other) follow one another, so the bar ends
 * when it served again and its length is the downtime (the phases are clipped to the outage: see
 * reports/phases.ts).
 */
import type { InstanceOutcome } from './report-types.js';
import { escapeHtml } from './escape.js';
import { formatMs } from './format-duration.js';
import { PHASES, phaseSegments, recoveredWithPhases } from './phases.js';
import { svgFrame, svgLegend, timeAxis } from './svg/parts.js';
import { linearScale, num } from './svg/scale.js';

const ROW_H = 14;
const LABEL_W = 120;
const WIDTH = 1000;

/** The bars, in order of failure then downtime, at most `max`; a sentence when none recovered. */
export function instanceBarsSvg(instances: readonly InstanceOutcome[], window: [number, number], max: number): string {
  const all = recoveredWithPhases(instances)
    .filter((i) => i.failedAtMs !== null)
    .sort((a, b) => a.failedAtMs! - b.failedAtMs! || (b.downtimeMs ?? 0) - (a.downtimeMs ?? 0) || a.name.localeCompare(b.name));
  if (all.length === 0) return '<p class="empty">No instance recovered.</p>';
  const shown = all.slice(0, max);
  const top = 22;
  const height = top + shown.length * ROW_H + 24;
  const x = linearScale(window, [LABEL_W, WIDTH - 10]);
  const body = [svgLegend(PHASES.map((p) => ({ label: p.label, colour: p.colour })), 0, 12), timeAxis(x, top, height - 22)];
  shown.forEach((inst, row) => {
    const y = top + row * ROW_H;
    let at = inst.failedAtMs!;
    const segs = phaseSegments(inst).map((s) => {
      const rect = `<rect data-series="phase" data-phase="${s.phase.label}" data-instance="${escapeHtml(inst.name)}" x="${num(x(at))}" y="${y + 2}" ` +
        `width="${num(Math.max(x(at + s.ms) - x(at), 0.5))}" height="${ROW_H - 4}" fill="${s.phase.colour}"><title>${escapeHtml(`${inst.name} ${s.phase.label} ${formatMs(s.ms)}`)}</title></rect>`;
      at += s.ms;
      return rect;
    });
    const label = `<text class="lane-label" x="${LABEL_W - 6}" y="${y + ROW_H - 3}" text-anchor="end">${escapeHtml(inst.name)}</text>`;
    const total = `<text class="tick" x="${num(x(at) + 4)}" y="${y + ROW_H - 3}">${escapeHtml(formatMs(inst.downtimeMs))}</text>`;
    body.push(`<g data-series="instance" data-instance="${escapeHtml(inst.name)}" data-downtime-ms="${num(inst.downtimeMs ?? 0)}">${label}${segs.join('')}${total}</g>`);
  });
  const more = all.length > shown.length ? `<p class="more">… ${all.length - shown.length} more instances</p>` : '';
  return svgFrame(WIDTH, height, `Recovery of ${shown.length} instance(s), phases on the run's time axis`, body, 'instance-bars') + more;
}
