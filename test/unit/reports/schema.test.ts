import { describe, expect, test } from 'vitest';
import schema from '../../../reports/report.schema.json' with { type: 'json' };
import { validateReport } from '../../../reports/validate.js';
import { expectingRun, failingRun, multiReport, nastyRun, passingRun } from '../../support/sample-report.js';

type Loose = Record<string, unknown>;
const loose = (value: object): Loose => structuredClone(value) as Loose;
const definitions = schema.definitions as Record<string, { properties: Loose }>;
const keysOf = (name: string): string[] => Object.keys(definitions[name]?.properties ?? {}).sort();

describe('reports: schema', () => {
  test.each([
    ['passing run', passingRun()],
    ['failing run', failingRun()],
    ['run with expected violations', expectingRun()],
    ['run with hostile strings', nastyRun()],
    ['multi-run aggregate', multiReport()],
  ])('accepts a %s', (_name, report) => {
    expect(validateReport(report)).toEqual([]);
  });

  test('is version 1 and describes itself', () => {
    expect(schema.properties.ihasim.const).toBe(1);
    expect(schema.title).toContain('version 1');
    expect(schema.description.length).toBeGreaterThan(20);
  });

  test('names exactly the fields report-types.ts has (samples fill every field)', () => {
    const run = passingRun();
    expect(keysOf('runReport')).toEqual(Object.keys(run).sort());
    expect(keysOf('instance')).toEqual(Object.keys(run.instances[0] ?? {}).sort());
    expect(keysOf('runMetrics')).toEqual(Object.keys(run.metrics).sort());
    expect(keysOf('recovery')).toEqual(Object.keys(run.metrics.recovery).sort());
    expect(keysOf('multiRunReport')).toEqual(Object.keys(multiReport()).sort());
    expect(keysOf('runSummary')).toEqual(Object.keys(multiReport().failedRuns[0] ?? {}).sort());
  });

  test('rejects a missing field, naming it', () => {
    const report = loose(passingRun());
    delete report.replay;
    expect(validateReport(report)).toEqual(['(report): missing required property "replay"']);
  });

  test('rejects another version', () => {
    expect(validateReport({ ...passingRun(), ihasim: 2 })).toEqual(['/ihasim: must be 1, found 2']);
  });

  test('rejects an unknown kind with one clear line', () => {
    expect(validateReport({ ...passingRun(), kind: 'batch' })).toEqual([
      '/kind: must be one of ["run","multi"], found "batch"',
    ]);
  });

  test('rejects a misspelt field as unknown', () => {
    const problems = validateReport({ ...passingRun(), durationMS: 5 });
    expect(problems).toEqual(['(report): unknown property "durationMS"']);
  });

  test('rejects a wrong type deep inside a run of a multi report, with its path', () => {
    const report = multiReport() as unknown as { failedRuns: { recovery: Loose }[] };
    const r = report.failedRuns[0]?.recovery;
    if (r) r.maxMs = 'long';
    expect(validateReport(report)).toEqual(['/failedRuns/0/recovery/maxMs: must be number,null, found string']);
  });

  test('rejects a bad outcome, listing the allowed values', () => {
    const report = passingRun() as unknown as { instances: Loose[] };
    const first = report.instances[0];
    if (first) first.outcome = 'fine';
    const [problem] = validateReport(report);
    expect(problem).toMatch(/^\/instances\/0\/outcome: must be one of \["unaffected","recovered",/);
  });

  test('rejects a verdict that disagrees with the exit code', () => {
    expect(validateReport({ ...passingRun(), exitCode: 1 })).toEqual([
      '(report): verdict "pass" disagrees with exitCode 1',
    ]);
  });

  test('rejects a multi report whose counts do not add up', () => {
    const report = multiReport();
    report.failedRuns.pop();
    report.metrics.runs = 4;
    expect(validateReport(report)).toEqual([
      '/metrics/runs: says 4, but 3 seeds were run',
      '/failedRuns: 0 listed + 0 omitted, but metrics say 1 failed',
    ]);
  });

  test('reports every problem at once, not only the first', () => {
    const report = loose(passingRun());
    delete report.seed;
    report.policy = 3;
    expect(validateReport(report)).toHaveLength(2);
  });

  test('rejects things that are not reports', () => {
    expect(validateReport(null)).toEqual(['(report): must be object, found null']);
    expect(validateReport([])[0]).toContain('must be object, found array');
  });
});
