/**
 * Building blocks of the HTML report: page shell, facts, lists, tables. Every piece of report text passes
 * through `escapeHtml`; only constant markup and computed numbers are written raw.
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from './escape.js';
import { NO_VALUE } from './format-duration.js';
import { reportCss } from './html-style.js';
import type { Status } from './run-view.js';
import type { Table } from './table.js';

/**
 * A complete, self-contained page. The Content-Security-Policy forbids remote loads and every script but the
 * page's own inline ones (allowed by their sha256), a second line of defence should any text ever escape
 * unescaped.
 */
export function pageHtml(title: string, body: string[], scripts: readonly string[] = []): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(scripts)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>\n${reportCss()}</style>`,
    '</head>',
    '<body>',
    ...body.filter((b) => b !== ''),
    ...scripts.map((s) => `<script>${s}</script>`),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** `script-src` lists each inline script by hash, so an injected `<script>` would not run. */
export function contentSecurityPolicy(scripts: readonly string[], extra = ''): string {
  const hashes = scripts.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`);
  return `default-src 'none'; style-src 'unsafe-inline'${hashes.length ? `; script-src ${hashes.join(' ')}` : ''}${extra}`;
}

/** The page header: title, status badge and the facts as a definition list. */
export function headerHtml(title: string, status: Status, facts: [string, string][]): string {
  const items = facts
    .filter(([label]) => label !== 'Verdict')
    .map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd><code>${escapeHtml(value)}</code></dd>`);
  const badge = `<span class="status ${status.toLowerCase()}">${status}</span>`;
  return `<header>\n<h1>${escapeHtml(title)}</h1>\n${badge}\n<dl class="facts">${items.join('')}</dl>\n</header>`;
}

/** A titled section; `content` is already HTML. */
export function sectionHtml(title: string, content: string): string {
  return `<section>\n<h2>${escapeHtml(title)}</h2>\n${content}\n</section>`;
}

/** A bullet list of plain-text items. */
export function listHtml(items: readonly string[]): string {
  return `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
}

/** A block of commands, one per line. */
export function codeBlockHtml(text: string): string {
  return `<pre><code>${escapeHtml(text)}</code></pre>`;
}

/** A table, `empty` (plain text) when it has no rows, and "… N more" when rows were left out. */
export function tableHtml(table: Table, empty: string, moreNoun = 'rows'): string {
  if (table.rows.length === 0) return `<p class="empty">${escapeHtml(empty)}</p>`;
  const head = table.columns.map((c) => `<th${c.style === 'num' ? ' class="num"' : ''}>${escapeHtml(c.title)}</th>`);
  const rows = table.rows.map((row) => `<tr>${row.map((cell, i) => cellHtml(table, i, cell)).join('')}</tr>`);
  const more = table.more > 0 ? `\n<p class="more">… ${table.more} more ${escapeHtml(moreNoun)}</p>` : '';
  return `<table>\n<thead><tr>${head.join('')}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>${more}`;
}

function cellHtml(table: Table, index: number, cell: string): string {
  const style = table.columns[index]?.style ?? 'text';
  if (style === 'num') return `<td class="num">${escapeHtml(cell)}</td>`;
  if (style === 'code' && cell !== '' && cell !== NO_VALUE) return `<td><code>${escapeHtml(cell)}</code></td>`;
  return `<td>${escapeHtml(cell)}</td>`;
}
