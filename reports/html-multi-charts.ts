/**
 * The chart of the multi-seed HTML report: the downtime distribution over every recovered instance of every
 * seed. The JSON report carries the exact percentiles (p50, p95, p99, max) of the multi-seed histogram, not the
 * histogram itself, so the curve is drawn through those percentiles and says so; `ihasim plan` draws the full
 * distribution.
 */
import type { MultiRunReport } from './report-types.js';
import { cdfSvg } from './charts/cdf.js';
import { sectionHtml } from './html-parts.js';

export function multiChartsHtml(report: MultiRunReport): string {
  const r = report.metrics.recovery;
  const quantiles: [number | null, number][] = [[r.p50Ms, 0.5], [r.p95Ms, 0.95], [r.p99Ms, 0.99], [r.maxMs, 1]];
  const steps = quantiles.filter((q): q is [number, number] => q[0] !== null);
  const chart = cdfSvg([{ label: `${report.scenario}, seeds ${report.seeds.first}..${report.seeds.last} (${r.count} recoveries)`, colour: '#4e79a7', steps }]);
  const note = '<p class="note">Drawn through the exact p50, p95, p99 and max of every recovered instance\'s downtime over all seeds: ' +
    'read "95 % of recoveries took at most …" off the 95 % line. For the whole curve per configuration, see <code>ihasim plan --html</code>.</p>';
  return sectionHtml('Downtime distribution', chart + '\n' + note);
}
