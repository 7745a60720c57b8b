/**
 * The human-facing content of one run, shared by the Markdown and HTML renderers: facts, tables and the
 * replay command, already formatted (times via `formatMs`) but not escaped.
 */
import { provenanceFacts } from './provenance-facts.js';
import type { InstanceOutcome, RunReport, TimelineEvent, Violation } from './report-types.js';
import { formatMs, NO_VALUE } from './format-duration.js';
import { columns, tableOf, type Table } from './table.js';
import type { ResolvedRenderOptions } from './render-options.js';

/** The verdict as the reports print it. */
export type Status = 'PASS' | 'FAIL';

export interface RunView {
  status: Status;
  title: string;
  /** Label/value pairs for the summary (scenario, seed, policy, ...). */
  facts: [string, string][];
  failures: string[];
  replay: string;
  violations: Table;
  expected: Table;
  recovery: Table;
  /** What an operator still has to do (empty: nothing). */
  operatorActions: Table;
  instances: Table;
  timeline: Table;
}

export function statusOf(verdict: 'pass' | 'fail'): Status {
  return verdict === 'pass' ? 'PASS' : 'FAIL';
}

/** Builds the view of one run; `options` bounds the instance and timeline tables. */
export function runView(report: RunReport, options: ResolvedRenderOptions): RunView {
  const status = statusOf(report.verdict);
  return {
    status,
    title: `ihasim ${status}: ${report.scenario} (seed ${report.seed})`,
    facts: runFacts(report),
    failures: report.failures,
    replay: report.replay,
    violations: violationTable(report.violations),
    expected: tableOf(columns('Expected violation:code', 'Found'), report.expectedViolations, Infinity, (e) => [
      e.name,
      e.found ? 'yes' : 'no',
    ]),
    recovery: recoveryTable(report),
    operatorActions: tableOf(columns('Operator action still needed'), report.operatorActions, Infinity, (a) => [a]),
    instances: instanceTable(report.instances, options.maxInstances),
    timeline: timelineTable(report.events, options.maxEvents),
  };
}

function runFacts(report: RunReport): [string, string][] {
  const facts: [string, string][] = [
    ['Verdict', statusOf(report.verdict)],
    ['Scenario', report.scenario],
    ['Seed', String(report.seed)],
    ['Policy', report.policy],
    ['Simulated time', formatMs(report.durationMs)],
    ['Exit code', String(report.exitCode)],
  ];
  if (report.file !== undefined) facts.splice(2, 0, ['Scenario file', report.file]);
  facts.push(...provenanceFacts(report));
  return facts;
}

function violationTable(violations: readonly Violation[]): Table {
  const cols = columns('Time:num', 'Invariant:code', 'Kind', 'Entities:code', 'Message');
  return tableOf(cols, violations, Infinity, (v) => [
    formatMs(v.atMs),
    v.invariant,
    v.kind,
    v.entities.join(', '),
    v.message,
  ]);
}

function recoveryTable(report: RunReport): Table {
  const m = report.metrics;
  const r = m.recovery;
  const cols = columns(
    'Recovered:num', 'p50:num', 'p95:num', 'p99:num', 'Max:num', 'Floor:num',
    'Instances lost:num', 'Data lost:num', 'False fences:num', 'Reset loops:num', 'Hosts left disabled:num', 'Nova API calls:num',
  );
  const row = [
    String(r.count), formatMs(r.p50Ms), formatMs(r.p95Ms), formatMs(r.p99Ms), formatMs(r.maxMs), formatMs(m.floorMs),
    String(m.instancesLost), String(m.dataLost), String(m.falseFences), String(m.resetLoops), String(m.hostsLeftDisabled), String(m.novaApiCalls),
  ];
  return { columns: cols, rows: [row], more: 0 };
}

/** Instances something happened to; `unaffected` ones are left out. */
export function nonTrivialInstances(instances: readonly InstanceOutcome[]): InstanceOutcome[] {
  return instances.filter((i) => i.outcome !== 'unaffected');
}

function instanceTable(instances: readonly InstanceOutcome[], max: number): Table {
  const cols = columns(
    'Instance:code', 'Outcome', 'From:code', 'To:code', 'Failed at:num', 'Downtime:num',
    'Detect:num', 'Fence:num', 'Mark down:num', 'Evacuate:num', 'Boot:num', 'Reason',
  );
  return tableOf(cols, nonTrivialInstances(instances), max, (i) => [
    i.name, i.outcome, i.fromHost ?? NO_VALUE, i.toHost ?? NO_VALUE, formatMs(i.failedAtMs), formatMs(i.downtimeMs),
    formatMs(i.phases?.detectMs ?? null), formatMs(i.phases?.fenceMs ?? null), formatMs(i.phases?.markDownMs ?? null),
    formatMs(i.phases?.evacuateMs ?? null), formatMs(i.phases?.bootMs ?? null), i.reason ?? '',
  ]);
}

function timelineTable(events: readonly TimelineEvent[], max: number): Table {
  const cols = columns('Time:num', 'Type', 'Entity:code', 'Message');
  return tableOf(cols, events, max, (e) => [formatMs(e.atMs), e.type, e.entity, e.message]);
}
