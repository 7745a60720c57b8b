import { escapeHtml } from '../../reports/escape.js';
import { sectionHtml } from '../../reports/html-parts.js';
import { renderPlanHtml } from '../plan/html.js';
import type { SeedRecord } from '../plan/seed-record.js';
import type { CompareResult } from './compare-result.js';
import { COMPARE_HEADER, compareRows } from './render.js';

/** The comparison as a page: the side-by-side table first, then the plan's pictures (a CDF per design…). */
export function renderCompareHtml(r: CompareResult, records: readonly SeedRecord[]): string {
  const head = `<thead><tr>${COMPARE_HEADER.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
  const body = compareRows(r).map((row) => `<tr>${row.map((c, i) => (i === 0 ? `<td><strong>${escapeHtml(c)}</strong></td>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`);
  const table = `<table class="compare">\n${head}\n<tbody>\n${body.join('\n')}\n</tbody>\n</table>`;
  const title = `ihasim compare ${r.scenario}: ${r.designs.map((d) => d.design).join(' vs ')} × ${r.seeds.count} seeds`;
  return renderPlanHtml(r.plan, records, { title, lead: [sectionHtml('Designs side by side', table)] });
}
