/**
 * `ihasim plan --html FILE`: the plan as pictures. A downtime CDF per point (exact, from every recovered
 * instance of every seed, with the target's line), the mean phases of each point as stacked bars, a
 * sensitivity (tornado) chart over the varied keys, the points' table and the worst seeds with the command
 * that replays each. Self-contained: inline CSS and SVG, no script.
 */
import { cdfSteps, cdfSvg, type CdfOptions } from '../../reports/charts/cdf.js';
import { stackedBarsSvg, type StackRow } from '../../reports/charts/stacked-bars.js';
import { tornadoSvg, type TornadoRow } from '../../reports/charts/tornado.js';
import { escapeHtml } from '../../reports/escape.js';
import { formatMs } from '../../reports/format-duration.js';
import { codeBlockHtml, pageHtml, sectionHtml } from '../../reports/html-parts.js';
import { PHASES } from '../../reports/phases.js';
import { seriesColour } from '../../reports/svg/parts.js';
import type { PlanResult } from './result.js';
import { PHASE_NAMES, type SeedRecord } from './seed-record.js';
import { DOWNTIME_STATS, type DowntimeStat, type PointSummary } from './summary.js';
import { meets } from './target.js';

/** A point's name: its varied values, keys shortened to their last part (`forceDown=true, remoteMonitorInterval=5s`). */
export function pointLabel(r: PlanResult, p: PointSummary): string {
  if (r.varied.length === 0) return 'the scenario';
  return r.varied.map((k) => (k === 'recovery' ? designLabel(p.values[k] ?? '') : `${k.split('.').at(-1)}=${p.values[k] ?? ''}`)).join(', ');
}

/** A whole recovery block as a point's value (`{policy: masakari, …}`, as `ihasim compare` varies it): its design's name, then its knobs. */
function designLabel(block: string): string {
  const m = /^\{\s*policy:\s*([\w-]+)\s*,?\s*(.*)\}$/.exec(block.trim());
  if (!m) return `recovery=${block}`;
  return m[2] ? `${m[1]} (${m[2].trim()})` : m[1]!;
}

/** The downtime statistic the sensitivity chart compares: the target's, else p95. */
export function sensitivityMetric(r: PlanResult): DowntimeStat {
  const m = r.target?.metric;
  return m !== undefined && (DOWNTIME_STATS as readonly string[]).includes(m) ? (m as DowntimeStat) : 'p95';
}

function cdfHtml(r: PlanResult, records: readonly SeedRecord[]): string {
  const series = r.points.map((p, i) => {
    const sample = records.filter((rec) => rec.point === p.point).flatMap((rec) => rec.downtimesMs);
    return { label: pointLabel(r, p), colour: seriesColour(i), steps: cdfSteps(Float64Array.from(sample).sort()) };
  });
  const t = r.target;
  const options: CdfOptions = {};
  if (t && t.metric !== 'recovered-fraction') options.boundMs = { ms: t.threshold, label: `target ${t.text}` };
  if (t && t.metric === 'recovered-fraction') {
    options.fraction = { value: t.threshold, label: `target ${t.text}` };
    if (t.withinMs !== null) options.boundMs = { ms: t.withinMs, label: `within ${formatMs(t.withinMs)}` };
  }
  const note = '<p class="note">Each curve: the fraction of recovered instances (all seeds of the point) back in service within the time on the x axis. ' +
    'Left and steep is better. Instances never recovered are not in the curve: see the table\'s recovered column.</p>';
  return cdfSvg(series, options) + '\n' + note;
}

function phaseBarsHtml(r: PlanResult): string {
  const rows: StackRow[] = r.points.map((p) => ({
    label: pointLabel(r, p),
    segments: PHASE_NAMES.map((name, k) => ({ label: PHASES[k]!.label, colour: PHASES[k]!.colour, ms: p.phasesMeanMs[name] ?? 0 })),
  }));
  const legend = PHASES.slice(0, PHASE_NAMES.length).map((ph) => ({ label: ph.label, colour: ph.colour }));
  return stackedBarsSvg(rows, legend, 300) +
    '\n<p class="note">Mean length of each phase of the critical path over the recovered instances that went through it.</p>';
}

/**
 * For each varied key: the metric at each of its values with every other key at its first value; the bar
 * spans the lowest to the highest. Keys with fewer than two values that have a sample have no bar.
 */
export function sensitivityRows(r: PlanResult, metric: DowntimeStat): TornadoRow[] {
  const first = r.points[0];
  if (!first) return [];
  const rows: TornadoRow[] = [];
  for (const key of r.varied) {
    const others = r.varied.filter((k) => k !== key);
    const line = r.points.filter((p) => others.every((k) => p.values[k] === first.values[k]));
    const measured = line.map((p) => ({ value: p.values[key] ?? '', ms: p.downtimeMs[metric].value })).filter((m): m is { value: string; ms: number } => m.ms !== null);
    if (new Set(measured.map((m) => m.value)).size < 2) continue;
    const low = measured.reduce((a, b) => (b.ms < a.ms ? b : a));
    const high = measured.reduce((a, b) => (b.ms > a.ms ? b : a));
    rows.push({ key: `${key.split('.').at(-1)}`, low: { value: `${low.value}`, ms: low.ms }, high: { value: `${high.value}`, ms: high.ms } });
  }
  return rows;
}

function tornadoHtml(r: PlanResult): string {
  const metric = sensitivityMetric(r);
  const first = r.points[0];
  const base = first ? pointLabel(r, first) : '';
  const explain = `<p class="note">For each varied key: the ${metric} downtime as that key takes each of its values while the other keys stay at their first value (${escapeHtml(base)}). ` +
    `The bar runs from the lowest to the highest ${metric}, labelled with the values that gave them; the widest bar is the key that matters most. The vertical line: the first point.</p>`;
  return tornadoSvg(sensitivityRows(r, metric), first?.downtimeMs[metric].value ?? null, metric) + '\n' + explain;
}

function pointsTableHtml(r: PlanResult): string {
  const est = (p: PointSummary, s: DowntimeStat): string => {
    const e = p.downtimeMs[s];
    return e.value === null ? '—' : `${formatMs(e.value)}${e.ci95 ? ` <span class="note">[${formatMs(e.ci95[0])}, ${formatMs(e.ci95[1])}]</span>` : ''}`;
  };
  const head = ['#', ...r.varied.map((k) => k.split('.').at(-1)!), 'p50', 'p95', 'p99', 'max', 'recovered', 'failed runs', ...(r.target ? [`meets ${r.target.text}`] : [])];
  const rows = r.points.map((p, i) => {
    const frac = p.recoveredFraction.value === null ? '—' : `${(p.recoveredFraction.value * 100).toFixed(1)}%`;
    const cells = [`<span class="swatch" style="background:${seriesColour(i)}"></span>${p.point + 1}`, ...r.varied.map((k) => `<code>${escapeHtml(p.values[k] ?? '')}</code>`),
      est(p, 'p50'), est(p, 'p95'), est(p, 'p99'), est(p, 'max'), frac, String(p.failedRuns), ...(r.target ? [meets(p, r.target) ? 'yes' : '<strong>NO</strong>'] : [])];
    return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  return `<table>\n<thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

/** The command that replays one seed of one point with `ihasim run`. */
export function replayCommand(r: PlanResult, p: PointSummary, seed: number): string {
  const sets = [...r.set, ...r.varied.map((k) => `${k}=${p.values[k] ?? ''}`)].map((s) => ` --set ${/^[\w.=,:/-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`}`);
  return `npx ihasim run ${r.file} --seed ${seed}${sets.join('')}`;
}

const WORST = 10;

/**
 * The seeds with the longest downtime, one row per seed at the point where it was worst, with how many other
 * points it was also the worst at: a seed that is bad everywhere is one row, not a wall of identical rows.
 */
export function worstSeeds(r: PlanResult, records: readonly SeedRecord[]): { point: PointSummary; maxMs: number; seed: number; alsoAt: number }[] {
  const byPoint = new Map(r.points.map((p) => [p.point, p]));
  const bySeed = new Map<number, { point: PointSummary; maxMs: number; seed: number; alsoAt: number }>();
  for (const rec of records) {
    const point = byPoint.get(rec.point);
    if (!point || rec.downtimesMs.length === 0) continue;
    const maxMs = Math.max(...rec.downtimesMs);
    const seen = bySeed.get(rec.seed);
    if (!seen) bySeed.set(rec.seed, { point, maxMs, seed: rec.seed, alsoAt: 0 });
    else if (maxMs > seen.maxMs) bySeed.set(rec.seed, { point, maxMs, seed: rec.seed, alsoAt: seen.alsoAt + 1 });
    else seen.alsoAt++;
  }
  return [...bySeed.values()].sort((a, b) => b.maxMs - a.maxMs || a.seed - b.seed).slice(0, WORST);
}

function worstHtml(r: PlanResult, records: readonly SeedRecord[]): string {
  const worst = worstSeeds(r, records);
  if (worst.length === 0) return '<p class="empty">No seed recovered an instance.</p>';
  const rows = worst.map((w) =>
    `<tr><td class="num">${escapeHtml(formatMs(w.maxMs))}</td><td class="num">${w.seed}</td><td>${escapeHtml(pointLabel(r, w.point))}</td>` +
    `<td><code>${escapeHtml(replayCommand(r, w.point, w.seed))}</code></td></tr>`);
  return `<table>\n<thead><tr><th class="num">Longest downtime</th><th class="num">Seed</th><th>At point (its worst)</th><th>Replay</th></tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>` +
    '\n<p class="note">One row per seed, at the point where its longest recovery was longest.</p>';
}

/** The whole page. */
export function renderPlanHtml(r: PlanResult, records: readonly SeedRecord[], page: { title?: string; lead?: string[] } = {}): string {
  const title = page.title ?? `ihasim plan ${r.scenario}: ${r.points.length} point(s) × ${r.seeds.count} seeds`;
  const facts = [
    ['Scenario', r.file], ['Seeds', `${r.seeds.first}..${r.seeds.first + r.seeds.count - 1} (every point on the same seeds)`],
    ...(r.set.length ? [['Set', r.set.join(' ')]] : []), ['Varied', r.varied.join(', ') || '—'], ...(r.target ? [['Target', r.target.text]] : []),
  ];
  const header = `<header>\n<h1>${escapeHtml(title)}</h1>\n<dl class="facts">${facts.map(([k, v]) => `<dt>${escapeHtml(k!)}</dt><dd><code>${escapeHtml(v!)}</code></dd>`).join('')}</dl>\n</header>`;
  return pageHtml(title, [
    header,
    ...(page.lead ?? []),
    sectionHtml('Downtime distribution per point', cdfHtml(r, records)),
    r.varied.length > 0 ? sectionHtml('Sensitivity', tornadoHtml(r)) : '',
    sectionHtml('Where the time goes', phaseBarsHtml(r)),
    sectionHtml('Points', pointsTableHtml(r) + `\n<p class="note">[95% CI]: bootstrap over seeds (${r.bootstrap.resamples} resamples).</p>`),
    sectionHtml('Worst seeds', worstHtml(r, records)),
    r.points.length < r.pointsPlanned ? sectionHtml('Interrupted', codeBlockHtml(`${r.points.length} of ${r.pointsPlanned} points finished`)) : '',
  ]);
}
