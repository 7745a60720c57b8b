import { formatMs } from '../../reports/format-duration.js';
import type { PlanResult } from './result.js';
import { PHASE_NAMES, type SeedRecord } from './seed-record.js';
import { DOWNTIME_STATS, type Estimate, type PointSummary } from './summary.js';
import { meets } from './target.js';

const interval = (e: Estimate, fmt: (n: number) => string): string =>
  e.value === null ? '—' : `${fmt(e.value)}${e.ci95 ? ` [${fmt(e.ci95[0])}, ${fmt(e.ci95[1])}]` : ''}`;
const pct = (n: number): string => `${(n * 100).toFixed(1)}%`;
const counts = (m: Record<string, number>): string => Object.entries(m).map(([k, n]) => `${k} ${n}`).join(', ') || '—';

function fractionHeader(r: PlanResult): string {
  const within = r.target?.withinMs ?? null;
  return within === null ? 'recovered' : `recovered ≤${formatMs(within)}`;
}

/** One row per point: the varied values, then the statistics with their 95 % intervals. */
function rows(r: PlanResult): { header: string[]; body: string[][] } {
  const header = [...r.varied, ...DOWNTIME_STATS.map((s) => `${s} [95% CI]`), fractionHeader(r), 'not recovered', 'runs with violations',
    'phases (mean: detect/fence/mark-down/evacuate/boot)', ...(r.target ? [`meets ${r.target.text}`] : [])];
  const body = r.points.map((p) => [
    ...r.varied.map((k) => p.values[k] ?? ''),
    ...DOWNTIME_STATS.map((s) => interval(p.downtimeMs[s], formatMs)),
    interval(p.recoveredFraction, pct),
    counts(p.notRecoveredByReason),
    counts(p.runsWithViolationsByInvariant),
    PHASE_NAMES.map((ph) => formatMs(p.phasesMeanMs[ph])).join('/'),
    ...(r.target ? [meets(p, r.target) ? 'yes' : 'NO'] : []),
  ]);
  return { header, body };
}

function preface(r: PlanResult): string[] {
  return [
    `ihasim plan ${r.scenario}: ${r.points.length}${r.points.length < r.pointsPlanned ? ` of ${r.pointsPlanned}` : ''} point(s) × ${r.seeds.count} seeds (${r.seeds.first}..${r.seeds.first + r.seeds.count - 1})`,
    `every point ran on the same seeds (common random numbers): differences between rows are the change, not luck.`,
    `downtime of evacuated instances; [95% CI]: bootstrap over seeds (${r.bootstrap.resamples} resamples, seed ${r.bootstrap.seed}).`,
  ];
}

/** The terminal table. */
export function renderTable(r: PlanResult): string {
  const { header, body } = rows(r);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [...preface(r), '', line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** Markdown: the same table. */
export function renderMarkdown(r: PlanResult): string {
  const { header, body } = rows(r);
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  return [`# ${esc(preface(r)[0]!)}`, '', ...preface(r).slice(1), '',
    `| ${header.map(esc).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`,
    ...body.map((row) => `| ${row.map(esc).join(' | ')} |`), ''].join('\n');
}

const csvCell = (v: string | number | null): string => {
  const s = v === null ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const csv = (rowsOut: (string | number | null)[][]): string => rowsOut.map((row) => row.map(csvCell).join(',')).join('\n') + '\n';

/** Tidy CSV: one row per point, one column per variable; times in ms, intervals as _lo/_hi columns. */
export function renderCsv(r: PlanResult): string {
  const reasons = [...new Set(r.points.flatMap((p) => Object.keys(p.notRecoveredByReason)))].sort();
  const invariants = [...new Set(r.points.flatMap((p) => Object.keys(p.runsWithViolationsByInvariant)))].sort();
  const header = ['point', ...r.varied, 'runs', 'failed_runs', 'recovered',
    ...DOWNTIME_STATS.flatMap((s) => [`${s}_ms`, `${s}_ms_lo`, `${s}_ms_hi`]),
    'recovered_fraction', 'recovered_fraction_lo', 'recovered_fraction_hi', 'recovered_within_ms', 'opted_in_affected',
    ...reasons.map((x) => `not_recovered_${x}`), ...invariants.map((x) => `runs_violating_${x}`),
    ...PHASE_NAMES.map((p) => `mean_${p.replace(/Ms$/, '')}_ms`)];
  const est = (e: Estimate): (number | null)[] => [e.value, e.ci95?.[0] ?? null, e.ci95?.[1] ?? null];
  const body = r.points.map((p: PointSummary) => [
    p.point + 1, ...r.varied.map((k) => p.values[k] ?? ''), p.runs, p.failedRuns, p.recovered,
    ...DOWNTIME_STATS.flatMap((s) => est(p.downtimeMs[s])),
    ...est(p.recoveredFraction), p.recoveredFraction.withinMs, p.recoveredFraction.of,
    ...reasons.map((x) => p.notRecoveredByReason[x] ?? 0), ...invariants.map((x) => p.runsWithViolationsByInvariant[x] ?? 0),
    ...PHASE_NAMES.map((ph) => p.phasesMeanMs[ph]),
  ]);
  return csv([header, ...body]);
}

/** One row per point × seed. */
export function renderPerSeedCsv(r: PlanResult, records: readonly SeedRecord[]): string {
  const finished = new Set(r.points.map((p) => p.point));
  const values = new Map(r.points.map((p) => [p.point, p.values]));
  const header = ['point', ...r.varied, 'seed', 'exit_code', 'recovered', 'opted_in_affected', 'recovered_any',
    'max_downtime_ms', 'mean_downtime_ms', 'not_recovered', 'violations'];
  const body = records.filter((rec) => finished.has(rec.point)).map((rec) => [
    rec.point + 1, ...r.varied.map((k) => values.get(rec.point)![k] ?? ''), rec.seed, rec.exitCode, rec.downtimesMs.length,
    rec.optedInAffected, rec.backMs.length,
    rec.downtimesMs.length ? Math.max(...rec.downtimesMs) : null,
    rec.downtimesMs.length ? Math.round(rec.downtimesMs.reduce((a, b) => a + b, 0) / rec.downtimesMs.length) : null,
    Object.entries(rec.notRecovered).map(([k, n]) => `${k}:${n}`).join(' '), rec.violations.join(' '),
  ]);
  return csv([header, ...body]);
}

/** The JSON result: stable key order, two-space indent, a final newline. */
export function renderJson(r: PlanResult): string {
  return JSON.stringify(r, null, 2) + '\n';
}
