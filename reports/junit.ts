/**
 * JUnit XML for CI test reporters (Jenkins, GitLab, GitHub actions that read JUnit). A run is one
 * `<testsuite>` with one `<testcase>` per invariant and one per expected violation (`expected:<name>`). A
 * multi-seed run is one suite too: a case for all its seeds and one per listed failed run, so the XML does
 * not grow with the seed count. `time` is the SIMULATED time in seconds that the case judged (every
 * invariant of a run is judged over the whole run); the wall-clock time, when known, is a property.
 */
import type { MultiRunReport, Report, ReportProvenance, RunReport, RunSummary, Violation } from './report-types.js';
import { escapeXmlAttr, escapeXmlText } from './escape.js';
import type { RenderOptions } from './render-options.js';
import { formatMs } from './format-duration.js';
import { INVARIANTS } from './invariants.js';

/** One test case of a suite; `failure` set when it failed. */
interface Case {
  name: string;
  /** Simulated seconds. */
  time: number;
  failure?: { message: string; type: string; body: string };
  /** Kept in `<system-out>`: what was seen without failing (expected violations). */
  out?: string;
}

/** What the renderer needs beyond the report: the wall-clock time, when known. */
export type JUnitOptions = Pick<RenderOptions, 'wallMs'>;

/** Simulated ms as JUnit seconds (`3720.5`). */
const seconds = (ms: number): number => Math.round(ms) / 1000;

/** Renders either kind of report as a JUnit XML document rooted at `<testsuites>`. */
export function renderJUnit(report: Report, options: JUnitOptions = {}): string {
  const suite = report.kind === 'run' ? runSuite(report, options) : multiSuite(report, options);
  const tests = suite.cases.length;
  const failures = suite.cases.filter((c) => c.failure).length;
  const attrs = { name: `ihasim ${report.scenario}`, tests, failures, errors: 0, skipped: 0, time: suite.time };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes(attrs)}>`,
    suiteXml(suite),
    '</testsuites>',
    '',
  ].join('\n');
}

interface Suite {
  name: string;
  classname: string;
  time: number;
  properties: [string, string | number | null][];
  cases: Case[];
}

function runSuite(run: RunReport, options: JUnitOptions): Suite {
  return {
    name: `${run.scenario} seed=${run.seed}`, classname: `ihasim.${run.scenario}`, time: seconds(run.durationMs),
    properties: [...runProperties(run), ...wallProperty(options)], cases: runCases(run),
  };
}

/** All seeds as one case (it fails when any run failed, listed or not), then each listed failed run. */
function multiSuite(report: MultiRunReport, options: JUnitOptions): Suite {
  const m = report.metrics;
  const seeds = `${report.seeds.first}..${report.seeds.last}`;
  const all: Case = { name: `seeds ${seeds}`, time: seconds(m.simulatedMs) };
  if (m.failedRuns > 0) {
    const omitted = report.failuresOmitted > 0 ? [`… ${report.failuresOmitted} more`] : [];
    all.failure = { message: `${m.failedRuns} of ${m.runs} runs failed`, type: 'runs', body: [...report.failures, ...omitted].join('\n') };
  }
  const r = m.recovery;
  const properties: [string, string | number | null][] = [
    ['scenario', report.scenario], ['file', report.file ?? null], ...provenanceProperties(report), ['seeds', seeds], ['runs', m.runs], ['failedRuns', m.failedRuns],
    ['verdict', report.verdict], ['exitCode', report.exitCode], ['simulatedMs', m.simulatedMs], ['simulated', formatMs(m.simulatedMs)],
    ['recovery.count', r.count], ['recovery.p50Ms', r.p50Ms], ['recovery.p95Ms', r.p95Ms], ['recovery.p99Ms', r.p99Ms], ['recovery.maxMs', r.maxMs],
    ['instancesLost', m.instancesLost], ['dataLost', m.dataLost], ['falseFences', m.falseFences], ...wallProperty(options),
  ];
  return {
    name: `${report.scenario} seeds=${seeds}`, classname: `ihasim.${report.scenario}`, time: seconds(m.simulatedMs),
    properties, cases: [all, ...report.failedRuns.map(failedRunCase)],
  };
}

function failedRunCase(run: RunSummary): Case {
  const message = run.failures[0] ?? `verdict fail (exit code ${run.exitCode})`;
  return { name: `seed=${run.seed}`, time: seconds(run.durationMs), failure: { message, type: 'run', body: `${run.failures.join('\n')}\n\nreplay: ${run.replay}` } };
}

function wallProperty(options: JUnitOptions): [string, number][] {
  return options.wallMs === undefined ? [] : [['wallTimeMs', Math.round(options.wallMs)]];
}

/** The test cases of one run: every known invariant, then unknown violated ones, then expectations. */
function runCases(run: RunReport): Case[] {
  const expected = new Set(run.expectedViolations.map((e) => e.name));
  const names = [...INVARIANTS.map((i) => i.name as string)];
  for (const v of run.violations) if (!names.includes(v.invariant)) names.push(v.invariant);
  const cases: Omit<Case, 'time'>[] = names.map((name) => invariantCase(run, name, expected.has(name)));
  for (const e of run.expectedViolations) cases.push(expectedCase(run, e.name, e.found));
  if (run.verdict === 'fail' && !cases.some((c) => c.failure)) cases.push(verdictCase(run));
  const time = seconds(run.durationMs);
  return cases.map((c) => ({ ...c, time }));
}

function invariantCase(run: RunReport, name: string, expected: boolean): Omit<Case, 'time'> {
  const violations = run.violations.filter((v) => v.invariant === name);
  const unknown = run.unknown?.find((u) => u.invariant === name);
  // An invariant the history could not judge is not a pass (harness/history/run-report.ts).
  if (violations.length === 0 && unknown) {
    const message = `${name} could not be judged: ${unknown.why}`;
    return { name, failure: { message, type: 'unknown', body: message } };
  }
  if (violations.length === 0) return { name };
  const list = violations.map(violationLine).join('\n');
  if (expected) return { name, out: `expected violations (see expected:${name}):\n${list}` };
  const first = violations[0] as Violation;
  const count = `${violations.length} violation${violations.length === 1 ? '' : 's'}`;
  const message = `${count} of ${name}; first at ${formatMs(first.atMs)}: ${first.message}`;
  return { name, failure: { message, type: name, body: `${list}\n\nreplay: ${run.replay}` } };
}

function expectedCase(run: RunReport, name: string, found: boolean): Omit<Case, 'time'> {
  const caseName = `expected:${name}`;
  if (found) return { name: caseName };
  const message = `expected a violation of ${name}, none was found`;
  return { name: caseName, failure: { message, type: caseName, body: `${message}\n\nreplay: ${run.replay}` } };
}

/** Covers a fail verdict that no invariant or expectation explains (e.g. a liveness expectation). */
function verdictCase(run: RunReport): Omit<Case, 'time'> {
  const message = run.failures[0] ?? `verdict fail (exit code ${run.exitCode})`;
  const body = `${run.failures.join('\n')}\n\nreplay: ${run.replay}`;
  return { name: 'verdict', failure: { message, type: 'verdict', body } };
}

/** `5m12s no-double-run [vm-01, compute-03] message` */
function violationLine(v: Violation): string {
  return `${formatMs(v.atMs)} ${v.invariant} [${v.entities.join(', ')}] ${v.message}`;
}

function suiteXml(suite: Suite): string {
  const failures = suite.cases.filter((c) => c.failure).length;
  const attrs = { name: suite.name, tests: suite.cases.length, failures, errors: 0, skipped: 0, time: suite.time };
  return [
    `  <testsuite${attributes(attrs)}>`,
    propertiesXml(suite.properties),
    ...suite.cases.map((c) => caseXml(suite.classname, c)),
    '  </testsuite>',
  ].join('\n');
}

function caseXml(classname: string, c: Case): string {
  const open = `    <testcase${attributes({ classname, name: c.name, time: c.time })}`;
  if (!c.failure && c.out === undefined) return `${open}/>`;
  const inner: string[] = [];
  if (c.failure) {
    const { message, type, body } = c.failure;
    inner.push(`      <failure${attributes({ message, type })}>${escapeXmlText(body)}</failure>`);
  }
  if (c.out !== undefined) inner.push(`      <system-out>${escapeXmlText(c.out)}</system-out>`);
  return [`${open}>`, ...inner, '    </testcase>'].join('\n');
}

/** Seed, policy, file and the simulated figures of one run; absent numbers are empty strings. */
function runProperties(run: RunReport): [string, string | number | null][] {
  const r = run.metrics.recovery;
  return [
    ['seed', run.seed], ['policy', run.policy], ['scenario', run.scenario], ['file', run.file ?? null], ...provenanceProperties(run),
    ['verdict', run.verdict], ['exitCode', run.exitCode], ['replay', run.replay],
    ['durationMs', run.durationMs], ['duration', formatMs(run.durationMs)],
    ['recovery.count', r.count], ['recovery.p50Ms', r.p50Ms], ['recovery.p95Ms', r.p95Ms], ['recovery.maxMs', r.maxMs],
    ['floorMs', run.metrics.floorMs], ['instancesLost', run.metrics.instancesLost], ['dataLost', run.metrics.dataLost],
    ['falseFences', run.metrics.falseFences], ['violations', run.violations.length],
  ];
}

/** The version, scenario hash and any provenance or warning, so a CI result can be reproduced. */
function provenanceProperties(report: ReportProvenance): [string, string | number | null][] {
  const p = report.scenarioProvenance;
  return [
    ['ihasimVersion', report.ihasimVersion], ['scenarioHash', report.scenarioHash],
    ...(p ? [['scenarioWrittenBy', p.ihasim] as [string, string]] : []),
    ...(report.warnings ?? []).map((w): [string, string] => ['warning', w]),
  ];
}

/** `<properties>`; a null `file` is left out, other nulls are empty strings. */
function propertiesXml(props: [string, string | number | null][]): string {
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
