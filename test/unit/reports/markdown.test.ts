import { describe, expect, test } from 'vitest';
import { renderMarkdown } from '../../../reports/markdown.js';
import { event, expectingRun, failingRun, multiReport, nastyRun, passingRun } from '../../support/sample-report.js';

/** The Markdown with code spans and fenced blocks removed: what renders as text or HTML. */
function outsideCode(md: string): string {
  return md.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '').replace(/(`+)[\s\S]*?\1/g, '');
}

/** The rows of the table under `### title` (header and rule excluded). */
function tableRows(md: string, title: string): string[] {
  const section = md.split(`### ${title}\n\n`)[1] ?? '';
  const lines = section.split('\n');
  const end = lines.findIndex((l) => !l.startsWith('|'));
  return lines.slice(2, end < 0 ? undefined : end);
}

describe('reports: Markdown', () => {
  test('starts with an emoji-free verdict line naming scenario, seed and policy', () => {
    const md = renderMarkdown(failingRun(7));
    const [title, , facts] = md.split('\n');
    expect(title).toBe('## ihasim FAIL: power-loss (seed 7)');
    expect(facts).toBe(
      '**FAIL** · Scenario `power-loss` · Scenario file `scenarios/power-loss.yaml` · Seed `7` · Policy `no-fence` · Simulated time `1h02m` · Exit code `1`' +
        ` · ihasim version \`0.1.0\` · Scenario hash \`${'a'.repeat(64)}\`` +
        ` · Scenario written by \`ihasim 0.0.9 (check --seed 3 --path 1:0:0) from scenario ${'b'.repeat(64)}\`` +
        ' · Warning `warning: scenarios/power-loss.yaml was written by ihasim 0.0.9, this is ihasim 0.1.0: the run may differ from the one it recorded`',
    );
    expect(md).not.toMatch(/\p{Extended_Pictographic}/u);
    expect(renderMarkdown(passingRun()).split('\n')[0]).toBe('## ihasim PASS: power-loss (seed 42)');
  });

  test('puts the replay command in a code block', () => {
    expect(renderMarkdown(failingRun(7))).toContain('```sh\nihasim run scenarios/power-loss.yaml --seed 7\n```');
  });

  test('lists why the run failed', () => {
    expect(renderMarkdown(failingRun())).toContain('Why it failed:\n\n- 3 safety violations (fence-before-evacuate, no-double-run)');
    expect(renderMarkdown(passingRun())).not.toContain('Why it failed');
  });

  test('has a violations table with one row per violation', () => {
    const rows = tableRows(renderMarkdown(failingRun()), 'Violations');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toBe('| 10m12s | `no-double-run` | safety | `vm-01, compute-01, compute-02` | vm-01 executes on two hosts |');
    expect(renderMarkdown(passingRun())).toContain('### Violations\n\nNo violations.');
  });

  test('has a recovery table with count, percentiles, floor, losses, hosts left disabled and API calls', () => {
    const md = renderMarkdown(passingRun());
    expect(md).toContain(
      '| Recovered | p50 | p95 | p99 | Max | Floor | Instances lost | Data lost | False fences | Reset loops | Hosts left disabled | Nova API calls |',
    );
    expect(tableRows(md, 'Recovery')).toEqual(['| 1 | 1m30s | 1m30s | 1m30s | 1m30s | 1m00s | 1 | 0 | 0 | 0 | 0 | 9 |']);
  });

  test('lists what an operator still has to do', () => {
    expect(tableRows(renderMarkdown(passingRun()), 'Operator actions still needed')).toEqual([
      '| vm-03: not running (no-capacity): evacuate or start it by hand |',
    ]);
  });

  test('lists non-trivial instances with their phases or their reason, not unaffected ones', () => {
    const rows = tableRows(renderMarkdown(passingRun()), 'Instances');
    expect(rows).toEqual([
      '| `vm-01` | recovered | `compute-01` | `compute-02` | 5m00s | 1m30s | 30s | 12.4s | 850ms | 2s | 45s |  |',
      '| `vm-03` | not-recovered | `compute-01` | — | 5m00s | — | — | — | — | — | — | no-capacity |',
    ]);
  });

  test('shows the first 50 timeline events, then how many more', () => {
    const run = passingRun();
    run.events = Array.from({ length: 73 }, (_, i) => event(i * 1000, 'tick', `host-${i}`, `event ${i}`));
    const md = renderMarkdown(run);
    expect(tableRows(md, 'Timeline')).toHaveLength(50);
    expect(md).toContain('… 23 more events');
    expect(renderMarkdown(run, { maxEvents: 10 })).toContain('… 63 more events');
  });

  test('lists expected violations and whether each was found', () => {
    expect(tableRows(renderMarkdown(expectingRun()), 'Expected violations')).toEqual([
      '| `fence-before-evacuate` | yes |',
      '| `no-double-run` | no |',
    ]);
  });

  test('a multi report shows the aggregate, the failed runs and the worst runs with their replay, not every run', () => {
    const md = renderMarkdown(multiReport());
    expect(md.split('\n')[0]).toBe('## ihasim FAIL: power-loss (3 seeds)');
    expect(md).toContain('Seeds `1..3`');
    expect(tableRows(md, 'Aggregate')).toEqual(['| 3 | 1 | 3 | 1m30s | 1m30s | 1m30s | 1m30s | 3 | 0 | 0 |']);
    const failed = md.split('### Failed runs\n\n')[1]?.split('\n\n')[0]?.split('\n');
    expect(failed).toHaveLength(1);
    expect(md.split('### Longest downtime\n\n')[1]?.trim().split('\n')).toHaveLength(3);
    expect(failed?.[0]).toBe(
      '- **FAIL** seed 2: 3 violations (fence-before-evacuate ×1, no-double-run ×2) · recovered 1, p95 1m30s, max 1m30s · lost 1. Replay: `ihasim run scenarios/power-loss.yaml --seed 2`',
    );
    expect(md).toContain('Replay the failed runs:\n\n```sh\nihasim run scenarios/power-loss.yaml --seed 2\n```');
  });

  test('a multi report with more failed runs than it lists says how many more', () => {
    const report = multiReport();
    report.failedRunsOmitted = 250;
    report.metrics.failedRuns = 251;
    expect(renderMarkdown(report)).toContain('… 250 more failed runs (every run: `--runs-jsonl FILE`)');
  });

  test('hostile strings neither inject HTML nor break tables', () => {
    const md = renderMarkdown(nastyRun());
    expect(outsideCode(md)).not.toMatch(/<(?!br)/);
    for (const title of ['Violations', 'Instances', 'Timeline']) {
      for (const row of tableRows(md, title)) {
        const unescapedPipes = row.match(/(?<!\\)\|/g) ?? [];
        const columns = title === 'Instances' ? 12 : title === 'Violations' ? 5 : 4;
        expect(unescapedPipes).toHaveLength(columns + 1);
      }
    }
    expect(md).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  });
});
