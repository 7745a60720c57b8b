/**
 * The filterable timeline of the single-run HTML report: every event of the report in a table, a text box
 * and one checkbox per event type (with its count). The filter is a few lines of inline JavaScript (no
 * framework); without JavaScript the whole table shows.
 */
import type { TimelineEvent } from './report-types.js';
import { escapeHtml } from './escape.js';
import { formatMs } from './format-duration.js';

/** The table and its controls. */
export function timelineHtml(events: readonly TimelineEvent[], totalEvents: number): string {
  if (events.length === 0) return '<p class="empty">No notable events.</p>';
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
  const boxes = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([type, n]) =>
    `<label><input type="checkbox" data-filter-type="${escapeHtml(type)}" checked> ${escapeHtml(type)} <span class="count">${n}</span></label>`);
  const rows = events.map((e) =>
    `<tr data-type="${escapeHtml(e.type)}"><td class="num">${escapeHtml(formatMs(e.atMs))}</td><td><code>${escapeHtml(e.type)}</code></td>` +
    `<td><code>${escapeHtml(e.entity)}</code></td><td>${escapeHtml(e.message)}</td></tr>`);
  const omitted = totalEvents > events.length ? `<p class="more">The report keeps ${events.length} of ${totalEvents} events (full trace: <code>--trace FILE</code>).</p>` : '';
  return [
    '<div class="filters" id="timeline-filters">',
    '<input type="search" id="timeline-search" placeholder="filter: text in type, entity or message" aria-label="filter the timeline">',
    '<button type="button" data-types="all">all types</button> <button type="button" data-types="none">no types</button>',
    `<span id="timeline-shown">${events.length} of ${events.length} events</span>`,
    `<div class="types">${boxes.join('')}</div>`,
    '</div>',
    `<table id="timeline"><thead><tr><th class="num">At</th><th>Type</th><th>Entity</th><th>Message</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`,
    omitted,
  ].join('\n');
}

/** The filter's script: hides rows whose type is unchecked or whose text lacks the search words. */
export const TIMELINE_SCRIPT = `(function () {
  var table = document.getElementById('timeline');
  if (!table) return;
  var search = document.getElementById('timeline-search');
  var shown = document.getElementById('timeline-shown');
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[data-filter-type]'));
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  function apply() {
    var on = {};
    boxes.forEach(function (b) { on[b.getAttribute('data-filter-type')] = b.checked; });
    var words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var n = 0;
    rows.forEach(function (r) {
      var text = r.textContent.toLowerCase();
      var visible = on[r.getAttribute('data-type')] && words.every(function (w) { return text.indexOf(w) >= 0; });
      r.hidden = !visible;
      if (visible) n++;
    });
    shown.textContent = n + ' of ' + rows.length + ' events';
  }
  search.addEventListener('input', apply);
  boxes.forEach(function (b) { b.addEventListener('change', apply); });
  Array.prototype.forEach.call(document.querySelectorAll('button[data-types]'), function (button) {
    button.addEventListener('click', function () {
      var all = button.getAttribute('data-types') === 'all';
      boxes.forEach(function (b) { b.checked = all; });
      apply();
    });
  });
})();`;
