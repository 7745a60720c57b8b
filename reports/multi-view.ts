/**
 * The human-facing content of a `--seeds N` report, shared by the Markdown and HTML renderers: the
 * aggregate, violations per invariant, the failed runs and the worst runs (never one row per seed: a
 * thousand identical passing rows hide the few that matter).
 */
import { provenanceFacts } from './provenance-facts.js';
import type { MultiRunReport, RunSummary } from './report-types.js';
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
  /** Failed runs beyond those listed. */
  failedRunsOmitted: number;
  aggregate: Table;
  byInvariant: Table;
  failedRuns: RunLine[];
  /** The runs with the longest downtime. */
  worstRuns: RunLine[];
}

/** Builds the view of a multi-run report. */
export function multiView(report: MultiRunReport): MultiView {
  const status = statusOf(report.verdict);
  return {
    status,
    title: `ihasim ${status}: ${report.scenario} (${report.seeds.count} seeds)`,
    facts: multiFacts(report),
    failures: report.failures,
    failedRunsOmitted: report.failedRunsOmitted,
    aggregate: aggregateTable(report),
    byInvariant: byInvariantTable(report.metrics.violationsByInvariant),
    failedRuns: report.failedRuns.map(runLine),
    worstRuns: report.worstRuns.map(runLine),
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
  facts.push(...provenanceFacts(report));
  if (report.runsJsonl !== undefined) facts.push(['Every run', report.runsJsonl]);
  return facts;
}

/** `1..20`, or the one seed. */
export function describeSeeds(seeds: MultiRunReport['seeds']): string {
  return seeds.count === 1 ? String(seeds.first) : `${seeds.first}..${seeds.last}`;
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

function runLine(run: RunSummary): RunLine {
  return { seed: run.seed, status: statusOf(run.verdict), summary: runSummary(run), replay: run.replay };
}

/** One run in a few words: its violations by invariant, recovery and losses. */
export function runSummary(run: RunSummary): string {
  const r = run.recovery;
  const parts = [violationSummary(run), `recovered ${r.count}, p95 ${formatMs(r.p95Ms)}, max ${formatMs(r.maxMs)}`];
  if (run.instancesLost > 0) parts.push(`lost ${run.instancesLost}`);
  if (run.dataLost > 0) parts.push(`data lost ${run.dataLost}`);
  return parts.join(' · ');
}

function violationSummary(run: RunSummary): string {
  const counts = Object.entries(run.violations);
  const n = counts.reduce((a, [, c]) => a + c, 0);
  if (n === 0) return 'no violations';
  const detail = counts.map(([name, c]) => `${name} ×${c}`).join(', ');
  return `${n} violation${n === 1 ? '' : 's'} (${detail})`;
}
