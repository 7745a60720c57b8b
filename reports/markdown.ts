/**
 * Markdown summary of a report, for pasting into a pull request: verdict, replay command, violations,
 * recovery metrics, non-trivial instances and the start of the timeline. Emoji-free (`PASS`/`FAIL`).
 */
import type { MultiRunReport, Report, RunReport } from './report-types.js';
import { NO_VALUE } from './format-duration.js';
import { mdCode, mdCodeBlock, mdLine, mdText } from './markdown-escape.js';
import { multiView, type RunLine } from './multi-view.js';
import { resolveRenderOptions, type RenderOptions } from './render-options.js';
import { runView } from './run-view.js';
import type { Table } from './table.js';

/** Renders either kind of report as GitHub-flavoured Markdown, ending with a newline. */
export function renderMarkdown(report: Report, options?: RenderOptions): string {
  const blocks = report.kind === 'run' ? runBlocks(report, options) : multiBlocks(report);
  return `${blocks.filter((b) => b !== '').join('\n\n')}\n`;
}

function runBlocks(report: RunReport, options?: RenderOptions): string[] {
  const view = runView(report, resolveRenderOptions(options));
  return [
    `## ${mdText(view.title)}`,
    factsLine(view.facts),
    failureList(view.failures),
    `Replay:\n\n${mdCodeBlock(view.replay, 'sh')}`,
    section('Violations', view.violations, 'No violations.'),
    view.expected.rows.length > 0 ? section('Expected violations', view.expected, '') : '',
    section('Recovery', view.recovery, ''),
    view.operatorActions.rows.length > 0 ? section('Operator actions still needed', view.operatorActions, '') : '',
    section('Instances', view.instances, 'No instance was affected.', 'instances'),
    section('Timeline', view.timeline, 'No notable events.', 'events (full trace: `--trace FILE`)'),
  ];
}

function multiBlocks(report: MultiRunReport): string[] {
  const view = multiView(report);
  const more = view.failedRunsOmitted > 0 ? `\n\n… ${view.failedRunsOmitted} more failed runs (every run: \`--runs-jsonl FILE\`)` : '';
  return [
    `## ${mdText(view.title)}`,
    factsLine(view.facts),
    section('Aggregate', view.aggregate, ''),
    section('Violations by invariant', view.byInvariant, 'No violations.'),
    view.failedRuns.length > 0 ? `### Failed runs\n\n${view.failedRuns.map(runLineMd).join('\n')}${more}` : '### Failed runs\n\nNone.',
    view.failedRuns.length > 0 ? `Replay the failed runs:\n\n${mdCodeBlock(view.failedRuns.map((r) => r.replay).join('\n'), 'sh')}` : '',
    view.worstRuns.length > 0 ? `### Longest downtime\n\n${view.worstRuns.map(runLineMd).join('\n')}` : '',
  ];
}

/** `**FAIL** · Scenario `x` · Seed `42` · ...`: the verdict in bold, every other value as code. */
function factsLine(facts: [string, string][]): string {
  return facts
    .map(([label, value]) => (label === 'Verdict' ? `**${value}**` : `${mdText(label)} ${mdCode(value)}`))
    .join(' · ');
}

function failureList(failures: readonly string[]): string {
  if (failures.length === 0) return '';
  return `Why it failed:\n\n${failures.map((f) => `- ${mdLine(f)}`).join('\n')}`;
}

function runLineMd(run: RunLine): string {
  return `- **${run.status}** seed ${run.seed}: ${mdText(run.summary)}. Replay: ${mdCode(run.replay)}`;
}

/** A `###` section with its table, `empty` when it has no rows, and "… N more" when rows were left out. */
function section(title: string, table: Table, empty: string, moreNoun = 'rows'): string {
  const body = table.rows.length === 0 ? empty : mdTable(table);
  const more = table.more > 0 ? `\n\n… ${table.more} more ${moreNoun}` : '';
  return `### ${title}\n\n${body}${more}`;
}

/** A GFM pipe table; numeric columns right-aligned, code columns as code spans. */
export function mdTable(table: Table): string {
  const header = `| ${table.columns.map((c) => mdText(c.title)).join(' | ')} |`;
  const rule = `| ${table.columns.map((c) => (c.style === 'num' ? '---:' : '---')).join(' | ')} |`;
  const rows = table.rows.map((row) => {
    const cells = row.map((cell, i) => (isCode(table, i, cell) ? mdCode(cell, true) : mdText(cell)));
    return `| ${cells.join(' | ')} |`;
  });
  return [header, rule, ...rows].join('\n');
}

/** Code columns show names as code; empty cells and the `—` placeholder stay plain text. */
function isCode(table: Table, index: number, cell: string): boolean {
  return table.columns[index]?.style === 'code' && cell !== '' && cell !== NO_VALUE;
}
