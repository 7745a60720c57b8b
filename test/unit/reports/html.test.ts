import { describe, expect, test } from 'vitest';
import { escapeHtml } from '../../../reports/escape.js';
import { createHash } from 'node:crypto';
import { renderHtml } from '../../../reports/html.js';
import { instanceBarsSvg } from '../../../reports/html-instance-bars.js';
import { TIMELINE_SCRIPT } from '../../../reports/html-timeline.js';
import { NASTY, failingRun, multiReport, nastyRun, passingRun, recoveredInstance } from '../../support/sample-report.js';

/** Every tag name used in the document, lower-cased and deduplicated. */
function tagNames(html: string): string[] {
  return [...new Set([...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => (m[1] ?? '').toLowerCase()))].sort();
}

/** The phase segments of the instance bars: `<rect data-series="phase" ...>`. */
function phaseRects(html: string): { phase: string; instance: string; x: number; width: number }[] {
  return [...html.matchAll(/<rect data-series="phase" data-phase="([a-z-]+)" data-instance="([^"]*)" x="([0-9.]+)" y="[0-9.]+" width="([0-9.]+)"/g)]
    .map((m) => ({ phase: m[1]!, instance: m[2]!, x: Number(m[3]), width: Number(m[4]) }));
}

const ALLOWED_TAGS = [
  'body', 'code', 'dd', 'div', 'dl', 'dt', 'h1', 'h2', 'head', 'header', 'html', 'li', 'meta', 'p',
  'pre', 'section', 'span', 'style', 'table', 'tbody', 'td', 'th', 'thead', 'title', 'tr', 'ul',
  // The charts (SVG) and the timeline's filter (controls and its inline script).
  'svg', 'g', 'rect', 'path', 'line', 'text', 'input', 'label', 'button', 'script',
];

describe('reports: HTML', () => {
  test('is one self-contained page: inline CSS and the page\'s own inline script only, no external assets', () => {
    const html = renderHtml(failingRun());
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<link|<img|src=|href=|url\(|@import/i);
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).toContain(`<script>${TIMELINE_SCRIPT}</script>`);
    const hash = createHash('sha256').update(TIMELINE_SCRIPT).digest('base64');
    expect(html).toContain(`default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'`);
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
    expect(phaseRects(html).map((r) => r.phase)).toEqual(['detect', 'fence', 'mark-down', 'evacuate', 'boot']);
    expect(html).toContain('<title>vm-01 fence 12.4s</title>');
  });

  test('has a legend with a distinct colour per phase', () => {
    const html = renderHtml(passingRun());
    for (const phase of ['detect', 'fence', 'mark-down', 'evacuate', 'boot']) expect(html).toContain(`>${phase}</text>`);
    const colours = [...html.matchAll(/\.ph-[a-z-]+ \{ background: (#[0-9a-f]{6}); \}/g)].map((m) => m[1]);
    expect(colours).toHaveLength(6);
    expect(new Set(colours).size).toBe(6);
  });

  test('bars sit on the absolute time axis: each starts at the failure, segments follow one another and add up to the downtime', () => {
    const slow = recoveredInstance('vm-slow', 60_000);
    slow.downtimeMs = (slow.downtimeMs ?? 0) * 2;
    const fast = recoveredInstance('vm-fast', 0);
    // Window 0..100 s onto x 120..990: 8.7 px per second.
    const svg = instanceBarsSvg([slow, fast], [0, 100_000], 10);
    const rects = phaseRects(svg);
    const of = (name: string) => rects.filter((r) => r.instance === name);
    expect(of('vm-fast')[0]!.x).toBeCloseTo(120, 1);
    expect(of('vm-slow')[0]!.x).toBeCloseTo(120 + 60 * 8.7, 1);
    for (const name of ['vm-fast', 'vm-slow']) {
      const segs = of(name);
      for (let i = 1; i < segs.length; i++) expect(segs[i]!.x).toBeCloseTo(segs[i - 1]!.x + segs[i - 1]!.width, 1);
    }
    const width = (name: string) => of(name).reduce((a, r) => a + r.width, 0);
    expect(width('vm-fast')).toBeCloseTo((fast.downtimeMs! / 1000) * 8.7, 0);
    expect(width('vm-slow')).toBeCloseTo((slow.downtimeMs! / 1000) * 8.7, 0);
    expect(of('vm-slow').at(-1)!.phase).toBe('other');
    // Failure order: the instance that failed first is drawn first.
    expect(rects[0]!.instance).toBe('vm-fast');
  });

  test('says so when no instance recovered', () => {
    const run = passingRun();
    run.instances = [];
    expect(renderHtml(run)).toContain('<p class="empty">No instance recovered.</p>');
  });

  test('hostile strings appear only escaped, never as markup', () => {
    const html = renderHtml(nastyRun());
    expect(ALLOWED_TAGS).toEqual(expect.arrayContaining(tagNames(html)));
    expect(html.split('<script>')).toHaveLength(2);
    expect(html).toContain(`<script>${TIMELINE_SCRIPT}</script>`);
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
