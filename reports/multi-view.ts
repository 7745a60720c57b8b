/**
 * The human-facing content of a `--seeds N` report, shared by the Markdown and HTML renderers: the
 * aggregate, violations per invariant, and one line per run.
 */
import type { MultiRunReport, RunReport } from './report-types.js';
import { formatMs } from './format-duration.js';
import { findInvariant } from './invariants.js';
import { columns, tableOf, type Table } from './table.js';
import { statusOf, type Status } from './run-view.js';

/** One run of the aggregate, summarised on one line. */
export interface RunLine {
  seed: number;
  status: Status;
  /** `2 violations (no-double-run ×2) · recovered 12, p95 5m12s · lost 1` */
  summary: string;
  replay: string;
}

export interface MultiView {
  status: Status;
  title: string;
  facts: [string, string][];
  failures: string[];
  aggregate: Table;
  byInvariant: Table;
  runs: RunLine[];
}

/** Builds the view of a multi-run report. */
export function multiView(report: MultiRunReport): MultiView {
  const status = statusOf(report.verdict);
  return {
    status,
    title: `ihasim ${status}: ${report.scenario} (${report.seeds.length} seeds)`,
    facts: multiFacts(report),
    failures: report.failures,
    aggregate: aggregateTable(report),
    byInvariant: byInvariantTable(report.metrics.violationsByInvariant),
    runs: report.runs.map(runLine),
  };
}

function multiFacts(report: MultiRunReport): [string, string][] {
  const facts: [string, string][] = [
    ['Verdict', statusOf(report.verdict)],
    ['Scenario', report.scenario],
    ['Seeds', describeSeeds(report.seeds)],
    ['Failed runs', `${report.metrics.failedRuns} of ${report.metrics.runs}`],
    ['Exit code', String(report.exitCode)],
  ];
  if (report.file !== undefined) facts.splice(2, 0, ['Scenario file', report.file]);
  return facts;
}

/** `1..20` for a contiguous ascending range, otherwise the list (`3, 9, 27`). */
export function describeSeeds(seeds: readonly number[]): string {
  const first = seeds[0];
  const last = seeds[seeds.length - 1];
  const contiguous = seeds.length > 2 && seeds.every((s, i) => s === (first ?? 0) + i);
  return contiguous ? `${first}..${last}` : seeds.join(', ');
}

function aggregateTable(report: MultiRunReport): Table {
  const m = report.metrics;
  const r = m.recovery;
  const cols = columns(
    'Runs:num', 'Failed runs:num', 'Recovered:num', 'p50:num', 'p95:num', 'p99:num', 'Max:num',
    'Instances lost:num', 'Data lost:num', 'False fences:num',
  );
  const row = [
    String(m.runs), String(m.failedRuns), String(r.count), formatMs(r.p50Ms), formatMs(r.p95Ms), formatMs(r.p99Ms),
    formatMs(r.maxMs), String(m.instancesLost), String(m.dataLost), String(m.falseFences),
  ];
  return { columns: cols, rows: [row], more: 0 };
}

function byInvariantTable(counts: Record<string, number>): Table {
  const entries = Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return tableOf(columns('Invariant:code', 'Kind', 'Violations:num'), entries, Infinity, ([name, n]) => [
    name,
    findInvariant(name)?.kind ?? '?',
    String(n),
  ]);
}

function runLine(run: RunReport): RunLine {
  return { seed: run.seed, status: statusOf(run.verdict), summary: runSummary(run), replay: run.replay };
}

/** One run in a few words: its violations by invariant, recovery and losses. */
export function runSummary(run: RunReport): string {
  const r = run.metrics.recovery;
  const parts = [violationSummary(run), `recovered ${r.count}, p95 ${formatMs(r.p95Ms)}, max ${formatMs(r.maxMs)}`];
  if (run.metrics.instancesLost > 0) parts.push(`lost ${run.metrics.instancesLost}`);
  if (run.metrics.dataLost > 0) parts.push(`data lost ${run.metrics.dataLost}`);
  return parts.join(' · ');
}

function violationSummary(run: RunReport): string {
  const n = run.violations.length;
  if (n === 0) return 'no violations';
  const counts = new Map<string, number>();
  for (const v of run.violations) counts.set(v.invariant, (counts.get(v.invariant) ?? 0) + 1);
  const detail = [...counts].map(([name, c]) => `${name} ×${c}`).join(', ');
  return `${n} violation${n === 1 ? '' : 's'} (${detail})`;
}
