/**
 * The host swimlanes of the single-run HTML report: one lane per affected host on the run's absolute time axis,
 * with its fault and power-off bands and a mark per milestone of its recovery (Pacemaker's detection, fencing,
 * Nova marked down, each evacuation leaving it, each evacuated guest booting elsewhere). Built only from the
 * report's timeline (`events`) and instances, so what it shows is what the report says.
 */
import type { InstanceOutcome, RunReport, TimelineEvent } from './report-types.js';
import { escapeHtml } from './escape.js';
import { formatMs } from './format-duration.js';
import { svgFrame, svgLegend, timeAxis } from './svg/parts.js';
import { linearScale, num, type Scale } from './svg/scale.js';

/** What a mark on a lane stands for; `row` is its height in the lane (0 top .. 2 bottom). */
export interface MarkKind {
  kind: string;
  label: string;
  colour: string;
  row: 0 | 1 | 2;
}

export const MARK_KINDS: readonly MarkKind[] = [
  { kind: 'detect', label: 'detected', colour: '#4e79a7', row: 0 },
  { kind: 'fence-start', label: 'fencing', colour: '#f4a3a4', row: 0 },
  { kind: 'fenced', label: 'fenced', colour: '#e15759', row: 0 },
  { kind: 'fence-failed', label: 'fence failed', colour: '#000000', row: 0 },
  { kind: 'false-fence', label: 'false fence', colour: '#b07aa1', row: 0 },
  { kind: 'nova-down', label: 'Nova down', colour: '#f28e2b', row: 1 },
  { kind: 'host-back', label: 'host back', colour: '#57606a', row: 1 },
  { kind: 'violation', label: 'violation', colour: '#cf222e', row: 1 },
  { kind: 'evacuate', label: 'evacuation', colour: '#76b7b2', row: 2 },
  { kind: 'boot', label: 'guest booted', colour: '#59a14f', row: 2 },
];
const KIND = new Map(MARK_KINDS.map((k) => [k.kind, k]));

export interface LaneMark { kind: string; atMs: number; host: string; text: string; type: string }
export interface LaneBand { kind: 'fault' | 'off'; host: string; fromMs: number; toMs: number; text: string }

const field = (message: string, name: string): string | null => new RegExp(`(?:^|\\s)${name}=(\\S+)`).exec(message)?.[1] ?? null;

/** The mark an event makes on a host's lane, if any (events about instances go to the host they left). */
function markOf(e: TimelineEvent, fromHostOf: Map<string, string>): LaneMark | null {
  const at = (kind: string, host: string | null): LaneMark | null => (host ? { kind, atMs: e.atMs, host, text: `${e.type} ${e.entity} ${e.message}`, type: e.type } : null);
  if (/false.?fence/i.test(e.type)) return at('false-fence', e.entity);
  switch (e.type) {
    case 'pacemaker.node.unclean': return at('detect', e.entity);
    case 'pacemaker.fence.start': return at('fence-start', e.entity);
    case 'pacemaker.fence.ok': case 'fence.power-off-confirmed': return at('fenced', e.entity);
    case 'pacemaker.fence.failed': return at('fence-failed', e.entity);
    case 'host.booted': return at('host-back', e.entity);
    case 'nova.service.update': return field(e.message, 'forcedDown') === 'true' ? at('nova-down', e.entity) : null;
    case 'nova.evacuate.accepted': return at('evacuate', field(e.message, 'from') ?? fromHostOf.get(e.entity) ?? null);
    case 'guest.booted': return at('boot', fromHostOf.get(e.entity) ?? null);
    default: return null;
  }
}

/**
 * Bands: a fault names its targets (`targets=a|b`) and lasts until the host booted again (or the end of the
 * axis); a power-off lasts until the host powered on.
 */
function bandsOf(events: readonly TimelineEvent[], endMs: number): LaneBand[] {
  const bands: LaneBand[] = [];
  const until = (host: string, fromMs: number, types: string[]): number =>
    events.find((e) => e.atMs >= fromMs && e.entity === host && types.includes(e.type))?.atMs ?? endMs;
  for (const e of events) {
    if (e.type === 'fault' && !isRepair(e)) {
      for (const host of (field(e.message, 'targets') ?? '').split('|').filter(Boolean)) {
        bands.push({ kind: 'fault', host, fromMs: e.atMs, toMs: until(host, e.atMs, ['host.booted', 'pacemaker.node.online']), text: `fault ${e.entity} on ${host}` });
      }
    } else if (e.type === 'host.power_off') {
      bands.push({ kind: 'off', host: e.entity, fromMs: e.atMs, toMs: until(e.entity, e.atMs, ['host.power_on']), text: `${e.entity} powered off` });
    }
  }
  return bands;
}

/** A "fault" that ends others (power-restore, heal): not a band of its own, nor the start of a window. */
const isRepair = (e: TimelineEvent): boolean => e.type === 'fault' && /restore|heal|repair/i.test(e.entity);

export interface HostLanes { hosts: string[]; marks: LaneMark[]; bands: LaneBand[] }

/** The lanes' content: affected hosts in order of their first mark or band. */
export function hostLanes(report: RunReport, endMs: number): HostLanes {
  const fromHostOf = new Map(report.instances.filter((i) => i.fromHost).map((i) => [i.name, i.fromHost!]));
  const marks = report.events.map((e) => markOf(e, fromHostOf)).filter((m): m is LaneMark => m !== null);
  for (const v of report.violations) for (const host of v.entities) marks.push({ kind: 'violation', atMs: v.atMs, host, text: `${v.invariant}: ${v.message}`, type: 'violation' });
  const bands = bandsOf(report.events, endMs);
  const first = new Map<string, number>();
  const seen = (host: string, at: number): void => void first.set(host, Math.min(first.get(host) ?? Infinity, at));
  for (const b of bands) seen(b.host, b.fromMs);
  for (const m of marks) if (m.kind !== 'boot' && m.kind !== 'violation') seen(m.host, m.atMs);
  for (const i of report.instances) if (i.fromHost && i.failedAtMs !== null) seen(i.fromHost, i.failedAtMs);
  const hosts = [...first].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).map(([h]) => h);
  const known = new Set(hosts);
  return { hosts, marks: marks.filter((m) => known.has(m.host)), bands: bands.filter((b) => known.has(b.host)) };
}

/** The time window worth drawing: from a little before the first fault to a little after the last recovery. */
export function timeWindow(report: RunReport): [number, number] {
  const starts = [...report.events.filter((e) => e.type === 'fault' && !isRepair(e)).map((e) => e.atMs), ...report.instances.map((i) => i.failedAtMs).filter((t): t is number => t !== null)];
  const ends = [...report.instances.map((i: InstanceOutcome) => i.recoveredAtMs).filter((t): t is number => t !== null), ...starts];
  // Hosts booting back (mains restored half an hour later) would squash the recovery into a sliver: only the
  // recoveries and the fencing of the hosts count.
  for (const e of report.events) if (e.type.startsWith('pacemaker.fence.') || e.type === 'pacemaker.node.unclean') ends.push(e.atMs);
  if (starts.length === 0) return [0, Math.max(report.durationMs, 1)];
  const lo = Math.min(...starts);
  const hi = Math.max(...ends);
  const pad = Math.max((hi - lo) * 0.04, 1_000);
  return [Math.max(0, lo - pad), Math.min(Math.max(report.durationMs, hi), hi + pad)];
}

const LANE_H = 34;
const LABEL_W = 120;
const WIDTH = 1000;

function markShape(m: LaneMark, x: Scale, laneTop: number): string {
  const k = KIND.get(m.kind)!;
  const cx = num(x(m.atMs));
  const cy = laneTop + 7 + k.row * 10;
  const title = `<title>${escapeHtml(`${formatMs(m.atMs)} ${k.label}: ${m.text}`)}</title>`;
  const attrs = `data-series="mark" data-kind="${m.kind}" data-type="${escapeHtml(m.type)}" fill="${k.colour}" stroke="${k.colour}"`;
  // A diamond for Pacemaker/Nova milestones, a thin tick for the many evacuations and boots.
  if (k.row === 2) return `<path ${attrs} stroke-width="1.5" d="M${cx} ${num(cy - 4)}V${num(cy + 4)}">${title}</path>`;
  return `<path ${attrs} d="M${cx} ${num(cy - 4.5)}l4.5 4.5l-4.5 4.5l-4.5 -4.5z">${title}</path>`;
}

/** The swimlane chart as an SVG element, or a sentence when no host was affected. */
export function swimlanesSvg(report: RunReport, window: [number, number]): string {
  const lanes = hostLanes(report, window[1]);
  if (lanes.hosts.length === 0) return '<p class="empty">No host was affected.</p>';
  const top = 24;
  const height = top + lanes.hosts.length * LANE_H + 24;
  const x = linearScale(window, [LABEL_W, WIDTH - 10]);
  const laneTop = new Map(lanes.hosts.map((h, i) => [h, top + i * LANE_H]));
  const body: string[] = [svgLegend(MARK_KINDS.map((k) => ({ label: k.label, colour: k.colour })), 0, 12)];
  body.push(timeAxis(x, top, height - 22));
  for (const h of lanes.hosts) {
    const y = laneTop.get(h)!;
    body.push(`<rect class="lane-bg" data-series="lane" data-host="${escapeHtml(h)}" x="${LABEL_W}" y="${y + 1}" width="${WIDTH - 10 - LABEL_W}" height="${LANE_H - 2}"/>` +
      `<text class="lane-label" x="${LABEL_W - 6}" y="${y + LANE_H / 2 + 4}" text-anchor="end">${escapeHtml(h)}</text>`);
  }
  for (const b of lanes.bands) {
    if (b.fromMs > window[1]) continue;
    const y = laneTop.get(b.host)!;
    const fill = b.kind === 'fault' ? '#ffd8d3' : '#c9ccd1';
    const inset = b.kind === 'fault' ? 1 : 12;
    body.push(`<rect data-series="band" data-kind="${b.kind}" x="${num(x(b.fromMs))}" y="${y + inset}" width="${num(Math.max(x(Math.min(b.toMs, window[1])) - x(b.fromMs), 1))}" height="${LANE_H - 2 * inset}" fill="${fill}">` +
      `<title>${escapeHtml(`${b.text}: ${formatMs(b.fromMs)} to ${formatMs(b.toMs)}`)}</title></rect>`);
  }
  for (const m of lanes.marks) if (m.atMs >= window[0] && m.atMs <= window[1]) body.push(markShape(m, x, laneTop.get(m.host)!));
  const label = `Affected hosts over time: ${lanes.hosts.length} host(s), ${lanes.marks.length} milestones`;
  return svgFrame(WIDTH, height, label, body, 'swimlanes');
}
