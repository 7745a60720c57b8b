/**
 * The chart of the multi-seed HTML report: the downtime distribution over every recovered instance of every
 * seed, drawn through the report's 101 whole percentiles (exact nearest-rank values of the multi-seed histogram),
 * with the scenario's recovery bound as the SLO line.
 */
import type { MultiRunReport } from './report-types.js';
import { cdfSvg } from './charts/cdf.js';
import { sectionHtml } from './html-parts.js';
import { formatMs } from './format-duration.js';

export function multiChartsHtml(report: MultiRunReport): string {
  const r = report.metrics.recovery;
  const steps: [number, number][] = report.metrics.downtimePercentilesMs.map((ms, p) => [ms, p / 100]);
  const bound = report.recoveryBoundMs;
  const chart = cdfSvg([{ label: `${report.scenario}, seeds ${report.seeds.first}..${report.seeds.last} (${r.count} recoveries)`, colour: '#4e79a7', steps }],
    bound ? { boundMs: { ms: bound, label: `recovery bound ${formatMs(bound)}` } } : {});
  const note = '<p class="note">Every recovered instance\'s downtime over all seeds, at each whole percentile: read "95 % of recoveries ' +
    'took at most …" off the 95 % line. For one curve per configuration, see <code>ihasim plan --html</code>.</p>';
  return sectionHtml('Downtime distribution', chart + '\n' + note);
}
