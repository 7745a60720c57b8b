/**
 * JUnit XML for CI test reporters (Jenkins, GitLab, GitHub actions that read JUnit): one `<testsuite>`
 * per run, one `<testcase>` per invariant, one per expected violation (`expected:<name>`). Simulated time
 * is not wall time, so every `time` attribute is 0 and the simulated figures go to `<properties>`.
 */
import type { Report, RunReport, Violation } from './report-types.js';
import { escapeXmlAttr, escapeXmlText } from './escape.js';
import { formatMs } from './format-duration.js';
import { INVARIANTS } from './invariants.js';

/** One test case of a suite; `failure` set when it failed. */
interface Case {
  name: string;
  failure?: { message: string; type: string; body: string };
  /** Kept in `<system-out>`: what was seen without failing (expected violations). */
  out?: string;
}

/** Renders either kind of report as a JUnit XML document rooted at `<testsuites>`. */
export function renderJUnit(report: Report): string {
  const runs = report.kind === 'run' ? [report] : report.runs;
  const suites = runs.map((run) => ({ run, cases: runCases(run) }));
  const tests = suites.reduce((n, s) => n + s.cases.length, 0);
  const failures = suites.reduce((n, s) => n + s.cases.filter((c) => c.failure).length, 0);
  const attrs = { name: `ihasim ${report.scenario}`, tests, failures, errors: 0, skipped: 0, time: 0 };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes(attrs)}>`,
    ...suites.map((s) => suiteXml(s.run, s.cases)),
    '</testsuites>',
    '',
  ].join('\n');
}

/** The test cases of one run: every known invariant, then unknown violated ones, then expectations. */
function runCases(run: RunReport): Case[] {
  const expected = new Set(run.expectedViolations.map((e) => e.name));
  const names = [...INVARIANTS.map((i) => i.name as string)];
  for (const v of run.violations) if (!names.includes(v.invariant)) names.push(v.invariant);
  const cases = names.map((name) => invariantCase(run, name, expected.has(name)));
  for (const e of run.expectedViolations) cases.push(expectedCase(run, e.name, e.found));
  if (run.verdict === 'fail' && !cases.some((c) => c.failure)) cases.push(verdictCase(run));
  return cases;
}

function invariantCase(run: RunReport, name: string, expected: boolean): Case {
  const violations = run.violations.filter((v) => v.invariant === name);
  if (violations.length === 0) return { name };
  const list = violations.map(violationLine).join('\n');
  if (expected) return { name, out: `expected violations (see expected:${name}):\n${list}` };
  const first = violations[0] as Violation;
  const count = `${violations.length} violation${violations.length === 1 ? '' : 's'}`;
  const message = `${count} of ${name}; first at ${formatMs(first.atMs)}: ${first.message}`;
  return { name, failure: { message, type: name, body: `${list}\n\nreplay: ${run.replay}` } };
}

function expectedCase(run: RunReport, name: string, found: boolean): Case {
  const caseName = `expected:${name}`;
  if (found) return { name: caseName };
  const message = `expected a violation of ${name}, none was found`;
  return { name: caseName, failure: { message, type: caseName, body: `${message}\n\nreplay: ${run.replay}` } };
}

/** Covers a fail verdict that no invariant or expectation explains (e.g. a liveness expectation). */
function verdictCase(run: RunReport): Case {
  const message = run.failures[0] ?? `verdict fail (exit code ${run.exitCode})`;
  const body = `${run.failures.join('\n')}\n\nreplay: ${run.replay}`;
  return { name: 'verdict', failure: { message, type: 'verdict', body } };
}

/** `5m12s no-double-run [vm-01, compute-03] message` */
function violationLine(v: Violation): string {
  return `${formatMs(v.atMs)} ${v.invariant} [${v.entities.join(', ')}] ${v.message}`;
}

function suiteXml(run: RunReport, cases: readonly Case[]): string {
  const failures = cases.filter((c) => c.failure).length;
  const attrs = { name: `${run.scenario} seed=${run.seed}`, tests: cases.length, failures, errors: 0, skipped: 0, time: 0 };
  const classname = `ihasim.${run.scenario}`;
  return [
    `  <testsuite${attributes(attrs)}>`,
    propertiesXml(run),
    ...cases.map((c) => caseXml(classname, c)),
    '  </testsuite>',
  ].join('\n');
}

function caseXml(classname: string, c: Case): string {
  const open = `    <testcase${attributes({ classname, name: c.name, time: 0 })}`;
  if (!c.failure && c.out === undefined) return `${open}/>`;
  const inner: string[] = [];
  if (c.failure) {
    const { message, type, body } = c.failure;
    inner.push(`      <failure${attributes({ message, type })}>${escapeXmlText(body)}</failure>`);
  }
  if (c.out !== undefined) inner.push(`      <system-out>${escapeXmlText(c.out)}</system-out>`);
  return [`${open}>`, ...inner, '    </testcase>'].join('\n');
}

/** Seed, policy, file and the simulated figures; absent numbers are empty strings. */
function propertiesXml(run: RunReport): string {
  const r = run.metrics.recovery;
  const props: [string, string | number | null][] = [
    ['seed', run.seed], ['policy', run.policy], ['scenario', run.scenario], ['file', run.file ?? null],
    ['verdict', run.verdict], ['exitCode', run.exitCode], ['replay', run.replay],
    ['durationMs', run.durationMs], ['duration', formatMs(run.durationMs)],
    ['recovery.count', r.count], ['recovery.p50Ms', r.p50Ms], ['recovery.p95Ms', r.p95Ms], ['recovery.maxMs', r.maxMs],
    ['floorMs', run.metrics.floorMs], ['instancesLost', run.metrics.instancesLost], ['dataLost', run.metrics.dataLost],
    ['falseFences', run.metrics.falseFences], ['violations', run.violations.length],
  ];
  const lines = props
    .filter(([name, value]) => value !== null || name !== 'file')
    .map(([name, value]) => `      <property${attributes({ name, value: value ?? '' })}/>`);
  return ['    <properties>', ...lines, '    </properties>'].join('\n');
}

/** ` a="1" b="x"`, each value escaped for a double-quoted attribute. */
function attributes(attrs: Record<string, string | number>): string {
  return Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escapeXmlAttr(String(v))}"`)
    .join('');
}
