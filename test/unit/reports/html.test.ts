import { describe, expect, test } from 'vitest';
import { escapeHtml } from '../../../reports/escape.js';
import { renderHtml } from '../../../reports/html.js';
import { NASTY, failingRun, multiReport, nastyRun, passingRun, recoveredInstance } from '../../support/sample-report.js';

/** Every tag name used in the document, lower-cased and deduplicated. */
function tagNames(html: string): string[] {
  return [...new Set([...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => (m[1] ?? '').toLowerCase()))].sort();
}

/** The `<span class="seg ph-...">` segments of the bars, as `phase width%`. */
function segments(html: string): string[] {
  return [...html.matchAll(/<span class="seg ph-([a-z-]+)" style="width:([0-9.]+)%"/g)].map((m) => `${m[1]} ${m[2]}`);
}

const ALLOWED_TAGS = [
  'body', 'code', 'dd', 'div', 'dl', 'dt', 'h1', 'h2', 'head', 'header', 'html', 'li', 'meta', 'p',
  'pre', 'section', 'span', 'style', 'table', 'tbody', 'td', 'th', 'thead', 'title', 'tr', 'ul',
];

describe('reports: HTML', () => {
  test('is one self-contained page: inline CSS, no scripts, no external assets', () => {
    const html = renderHtml(failingRun());
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|<img|src=|href=|url\(|@import/i);
    expect(html).toContain("default-src 'none'");
  });

  test('shows the verdict, facts, replay command and the same tables as the Markdown', () => {
    const html = renderHtml(failingRun(7));
    expect(html).toContain('<span class="status fail">FAIL</span>');
    expect(html).toContain('<dt>Seed</dt><dd><code>7</code></dd>');
    expect(html).toContain('<dt>Policy</dt><dd><code>no-fence</code></dd>');
    expect(html).toContain('<pre><code>ihasim run scenarios/power-loss.yaml --seed 7</code></pre>');
    for (const h of ['Violations', 'Recovery', 'Critical path', 'Instances', 'Timeline']) expect(html).toContain(`<h2>${h}</h2>`);
    expect(html).toContain('<td><code>no-double-run</code></td>');
    expect(html).toContain('<td>no-capacity</td>');
  });

  test('draws one bar per recovered instance with a segment per phase, in critical-path order', () => {
    const html = renderHtml(passingRun());
    expect(segments(html)).toEqual(['detect 33.241', 'fence 13.74', 'mark-down 0.942', 'evacuate 2.216', 'boot 49.861']);
    expect(html).toContain('title="fence 12.4s"');
  });

  test('has a legend with a distinct colour per phase', () => {
    const html = renderHtml(passingRun());
    for (const phase of ['detect', 'fence', 'mark-down', 'evacuate', 'boot']) {
      expect(html).toContain(`<span class="swatch ph-${phase}"></span>${phase}</li>`);
    }
    const colours = [...html.matchAll(/\.ph-[a-z-]+ \{ background: (#[0-9a-f]{6}); \}/g)].map((m) => m[1]);
    expect(colours).toHaveLength(6);
    expect(new Set(colours).size).toBe(6);
  });

  test('bars share one scale: the longest recovery is full width, missing time shows as other', () => {
    const run = passingRun();
    const slow = recoveredInstance('vm-slow', 0);
    slow.downtimeMs = (slow.downtimeMs ?? 0) * 2;
    run.instances.push(slow);
    const segs = segments(renderHtml(run));
    expect(segs.slice(0, 6)).toEqual(['detect 16.62', 'fence 6.87', 'mark-down 0.471', 'evacuate 1.108', 'boot 24.931', 'other 50']);
    expect(segs.slice(6)).toEqual(['detect 16.62', 'fence 6.87', 'mark-down 0.471', 'evacuate 1.108', 'boot 24.931']);
  });

  test('says so when no instance recovered', () => {
    const run = passingRun();
    run.instances = [];
    expect(renderHtml(run)).toContain('<p class="empty">No instance recovered.</p>');
  });

  test('hostile strings appear only escaped, never as markup', () => {
    const html = renderHtml(nastyRun());
    expect(ALLOWED_TAGS).toEqual(expect.arrayContaining(tagNames(html)));
    expect(html).not.toContain('<script>');
    expect(html).toContain(escapeHtml(`${NASTY} policy`));
    expect(html).toContain('<title>ihasim FAIL: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; ]]&gt;');
    expect(html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    const attrValues = [...html.matchAll(/="([^"]*)"/g)].map((m) => m[1] ?? '');
    for (const value of attrValues) expect(value).not.toMatch(/[<>]/);
  });

  test('a multi report lists the aggregate, the failed runs and the worst runs, not every run', () => {
    const html = renderHtml(multiReport());
    expect(html).toContain('<h1>ihasim FAIL: power-loss (3 seeds)</h1>');
    const failed = html.split('<h2>Failed runs</h2>')[1]?.split('</table>')[0] ?? '';
    expect(failed.match(/<tr><td class="num">\d+<\/td><td><span class="status/g)).toHaveLength(1);
    const worst = html.split('<h2>Longest downtime</h2>')[1]?.split('</table>')[0] ?? '';
    expect(worst.match(/<tr><td class="num">\d+<\/td><td><span class="status/g)).toHaveLength(3);
    expect(html).toContain('<h2>Replay the failed runs</h2>\n<pre><code>ihasim run scenarios/power-loss.yaml --seed 2</code></pre>');
  });
});
