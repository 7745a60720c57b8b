/**
 * A single self-contained HTML page of a report: the Markdown content plus a critical-path chart of the
 * recoveries. Inline CSS, no scripts, no external assets; every report string is escaped.
 */
import type { MultiRunReport, Report, RunReport } from './report-types.js';
import { escapeHtml } from './escape.js';
import { codeBlockHtml, headerHtml, listHtml, pageHtml, sectionHtml, tableHtml } from './html-parts.js';
import { instanceBarsSvg } from './html-instance-bars.js';
import { swimlanesSvg, timeWindow } from './html-swimlanes.js';
import { TIMELINE_SCRIPT, timelineHtml } from './html-timeline.js';
import { multiChartsHtml } from './html-multi-charts.js';
import { multiView, type RunLine } from './multi-view.js';
import { resolveRenderOptions, type RenderOptions } from './render-options.js';
import { runView } from './run-view.js';

/** Renders either kind of report as a complete HTML document. */
export function renderHtml(report: Report, options?: RenderOptions): string {
  return report.kind === 'run' ? runHtml(report, options) : multiHtml(report);
}

function runHtml(report: RunReport, options?: RenderOptions): string {
  const resolved = resolveRenderOptions(options);
  const view = runView(report, resolved);
  const window = timeWindow(report);
  return pageHtml(view.title, [
    headerHtml(view.title, view.status, view.facts),
    view.failures.length > 0 ? sectionHtml('Why it failed', listHtml(view.failures)) : '',
    sectionHtml('Replay', codeBlockHtml(view.replay)),
    sectionHtml('Violations', tableHtml(view.violations, 'No violations.')),
    view.expected.rows.length > 0 ? sectionHtml('Expected violations', tableHtml(view.expected, '')) : '',
    sectionHtml('Recovery', tableHtml(view.recovery, '')),
    view.operatorActions.rows.length > 0 ? sectionHtml('Operator actions still needed', tableHtml(view.operatorActions, '')) : '',
    sectionHtml('Hosts', swimlanesSvg(report, window)),
    sectionHtml('Critical path', instanceBarsSvg(report.instances, window, resolved.maxInstances)),
    sectionHtml('Instances', tableHtml(view.instances, 'No instance was affected.', 'instances')),
    sectionHtml('Timeline', timelineHtml(report.events, report.metrics.events)),
  ], report.events.length > 0 ? [TIMELINE_SCRIPT] : []);
}

function multiHtml(report: MultiRunReport): string {
  const view = multiView(report);
  const failed = view.failedRuns;
  const more = view.failedRunsOmitted > 0 ? `\n<p>… ${view.failedRunsOmitted} more failed runs (every run: <code>--runs-jsonl FILE</code>)</p>` : '';
  return pageHtml(view.title, [
    headerHtml(view.title, view.status, view.facts),
    sectionHtml('Aggregate', tableHtml(view.aggregate, '')),
    multiChartsHtml(report),
    sectionHtml('Violations by invariant', tableHtml(view.byInvariant, 'No violations.')),
    failed.length > 0 ? sectionHtml('Failed runs', runsTableHtml(failed) + more) : sectionHtml('Failed runs', '<p>None.</p>'),
    failed.length > 0 ? sectionHtml('Replay the failed runs', codeBlockHtml(failed.map((r) => r.replay).join('\n'))) : '',
    view.worstRuns.length > 0 ? sectionHtml('Longest downtime', runsTableHtml(view.worstRuns)) : '',
  ]);
}

function runsTableHtml(runs: readonly RunLine[]): string {
  const head = '<thead><tr><th class="num">Seed</th><th>Verdict</th><th>Summary</th><th>Replay</th></tr></thead>';
  const rows = runs.map(
    (r) =>
      `<tr><td class="num">${escapeHtml(String(r.seed))}</td><td><span class="status ${r.status.toLowerCase()}">${r.status}</span></td>` +
      `<td>${escapeHtml(r.summary)}</td><td><code>${escapeHtml(r.replay)}</code></td></tr>`,
  );
  return `<table>\n${head}\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}
