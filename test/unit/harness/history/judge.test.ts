import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../../support/cli-in-process.js';
import { validateReport } from '../../../../reports/index.js';

const scenarios = join(import.meta.dirname, '../../../../scenarios');

/** `run --history` then `judge` of that history: both reports (parsed) and exit codes. */
async function runThenJudge(scenario: string, extra: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'ihasim-history-'));
  const [history, ran, judged] = ['h.jsonl', 'run.json', 'judge.json'].map((f) => join(dir, f)) as [string, string, string];
  const run = await cli(['run', scenario, '--quiet', '--history', history, '--report', ran, ...extra]);
  const judge = await cli(['judge', history, '--quiet', '--report', judged]);
  return {
    run: { code: run.code, report: JSON.parse(readFileSync(ran, 'utf8')) },
    judge: { code: judge.code, report: JSON.parse(readFileSync(judged, 'utf8')) },
    history,
  };
}

describe('ihasim judge: a saved history is judged as the run judged it', () => {
  it('a passing library scenario: the same report, exit 0 both', async () => {
    const r = await runThenJudge(join(scenarios, 'host-hang-fenced.yaml'));
    expect(r.run.code).toBe(0);
    expect(r.judge.code).toBe(0);
    expect(r.judge.report).toEqual(r.run.report);
    expect(validateReport(r.judge.report)).toEqual([]);
  });

  it('a no-fence double run: the same violations and exit 1 both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ihasim-history-'));
    const file = join(dir, 'unsafe.yaml');
    writeFileSync(file, readFileSync(join(scenarios, 'mgmt-partition-no-fence.yaml'), 'utf8').replace(/violations: \[.*\]/, 'violations: []'));
    const r = await runThenJudge(file, ['--seed', '4']);
    expect(r.run.code).toBe(1);
    expect(r.judge.code).toBe(1);
    expect(r.judge.report.violations.map((v: { invariant: string }) => v.invariant)).toContain('no-double-run');
    expect(r.judge.report).toEqual(r.run.report);
  });

  it('the library scenario that expects that double run passes when judged again too', async () => {
    const r = await runThenJudge(join(scenarios, 'mgmt-partition-no-fence.yaml'));
    expect([r.run.code, r.judge.code]).toEqual([0, 0]);
    expect(r.judge.report.expectedViolations).toEqual(r.run.report.expectedViolations);
  });

  it('a truncated last line is exit 3 naming the line', async () => {
    const r = await runThenJudge(join(scenarios, 'host-hang-fenced.yaml'));
    const lines = readFileSync(r.history, 'utf8').trimEnd().split('\n');
    const cut = [...lines.slice(0, -1), lines.at(-1)!.slice(0, 20)].join('\n') + '\n';
    writeFileSync(r.history, cut);
    const j = await cli(['judge', r.history, '--quiet']);
    expect(j.code).toBe(3);
    expect(j.err).toContain('IHASIM_HISTORY_READ');
    expect(j.err).toContain(`${r.history}:${lines.length}:`);
    expect(j.err).toContain('truncated');
  });

  it('a line that is JSON but not an observation is exit 3 naming the line and the field', async () => {
    const r = await runThenJudge(join(scenarios, 'host-hang-fenced.yaml'));
    const lines = readFileSync(r.history, 'utf8').trimEnd().split('\n');
    lines.splice(1, 0, JSON.stringify({ t: 5, source: 'nova', kind: 'evacuation', instance: 'x' }));
    writeFileSync(r.history, lines.join('\n') + '\n');
    const j = await cli(['judge', r.history]);
    expect(j.code).toBe(3);
    expect(j.err).toContain(`${r.history}:2: evacuation: field "fromHost" must be string`);
  });
});
