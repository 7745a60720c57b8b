/**
 * Hand-built reports for the report-layer tests: a passing run, a failing run, a run with expected
 * violations, a multi-run aggregate, and a run whose every string is hostile. Each builder returns a fresh
 * object, so tests may mutate it.
 */
import type {
  InstanceOutcome,
  MultiRunReport,
  RunReport,
  RunSummary,
  TimelineEvent,
  Violation,
} from '../../reports/report-types.js';

const MIN = 60_000;

/** A recovered instance whose phases add up to its downtime. */
export function recoveredInstance(name: string, failedAtMs: number, from = 'compute-01', to = 'compute-02'): InstanceOutcome {
  const phases = { detectMs: 30_000, fenceMs: 12_400, markDownMs: 850, evacuateMs: 2_000, bootMs: 45_000 };
  const downtimeMs = phases.detectMs + phases.fenceMs + phases.markDownMs + phases.evacuateMs + phases.bootMs;
  return {
    name, uuid: `uuid-${name}`, outcome: 'recovered', reason: null, fromHost: from, toHost: to,
    failedAtMs, recoveredAtMs: failedAtMs + downtimeMs, downtimeMs, outageMs: downtimeMs, outages: 1, outageCause: 'host-off', phases,
  };
}

export function unaffectedInstance(name: string, host = 'compute-03'): InstanceOutcome {
  return {
    name, uuid: `uuid-${name}`, outcome: 'unaffected', reason: null, fromHost: null, toHost: host,
    failedAtMs: null, recoveredAtMs: null, downtimeMs: null, outageMs: null, outages: 0, outageCause: null, phases: null,
  };
}

export function lostInstance(name: string, reason: string, failedAtMs = 5 * MIN): InstanceOutcome {
  return {
    name, uuid: `uuid-${name}`, outcome: 'not-recovered', reason, fromHost: 'compute-01', toHost: null,
    failedAtMs, recoveredAtMs: null, downtimeMs: null, outageMs: 57 * MIN - failedAtMs, outages: 1, outageCause: 'host-off', phases: null,
  };
}

export function violation(invariant: string, atMs: number, entities: string[], message: string): Violation {
  const kind = invariant === 'recovery-bounded' || invariant === 'convergence' ? 'liveness' : 'safety';
  return { invariant, kind, atMs, entities, message };
}

export function event(atMs: number, type: string, entity: string, message: string): TimelineEvent {
  return { atMs, type, entity, message };
}

/** What every sample report records to be reproducible: a scenario written by an older ihasim (every field filled). */
export const SAMPLE_PROVENANCE = {
  ihasimVersion: '0.1.0',
  scenarioHash: 'a'.repeat(64),
  scenarioProvenance: { ihasim: '0.0.9', scenarioHash: 'b'.repeat(64), seed: 3, path: '1:0:0' },
  warnings: ['warning: scenarios/power-loss.yaml was written by ihasim 0.0.9, this is ihasim 0.1.0: the run may differ from the one it recorded'],
};

/** A clean run: one host lost power, one instance recovered, one lost for lack of capacity. */
export function passingRun(seed = 42): RunReport {
  const instances = [recoveredInstance('vm-01', 5 * MIN), unaffectedInstance('vm-02'), lostInstance('vm-03', 'no-capacity')];
  return {
    ihasim: 1, kind: 'run', scenario: 'power-loss', file: 'scenarios/power-loss.yaml', ...SAMPLE_PROVENANCE, seed,
    verdict: 'pass', exitCode: 0, failures: [],
    replay: `ihasim run scenarios/power-loss.yaml --seed ${seed}`,
    policy: 'pacemaker-instanceha', durationMs: 62 * MIN, violations: [], expectedViolations: [], instances,
    metrics: {
      recovery: { count: 1, p50Ms: 90_250, p95Ms: 90_250, p99Ms: 90_250, maxMs: 90_250, meanMs: 90_250 },
      floorMs: 60_000, instancesTotal: 10, instancesAffected: 2, instancesLost: 1, instancesNeverPlaced: 0, dataLost: 0, falseFences: 0, resetLoops: 0,
      evacuations: 1, events: 1234,
    },
    events: [
      event(5 * MIN, 'fault', 'compute-01', 'host-power-loss'),
      event(5 * MIN + 30_000, 'detect', 'compute-01', 'pacemaker-remote connection lost'),
      event(5 * MIN + 42_400, 'fence', 'compute-01', 'fence confirmed (ipmi off)'),
      event(5 * MIN + 90_250, 'recovered', 'vm-01', 'ACTIVE on compute-02'),
    ],
    // Every invariant judged: nothing unknown (a report leaves the field out then; the sample fills every field).
    unknown: [],
  };
}

/** A run that broke two safety invariants: no-double-run twice, fence-before-evacuate once. */
export function failingRun(seed = 7): RunReport {
  const run = passingRun(seed);
  run.verdict = 'fail';
  run.exitCode = 1;
  run.policy = 'no-fence';
  run.violations = [
    violation('fence-before-evacuate', 5 * MIN + 31_000, ['vm-01', 'compute-01'], 'evacuate accepted while compute-01 powered on'),
    violation('no-double-run', 5 * MIN + 12_000 + 5 * MIN, ['vm-01', 'compute-01', 'compute-02'], 'vm-01 executes on two hosts'),
    violation('no-double-run', 11 * MIN, ['vm-04', 'compute-01', 'compute-02'], 'vm-04 executes on two hosts'),
  ];
  run.failures = ['3 safety violations (fence-before-evacuate, no-double-run)'];
  return run;
}

/** The no-fence baseline expecting fence-before-evacuate (found) and no-double-run (not found). */
export function expectingRun(seed = 3): RunReport {
  const run = passingRun(seed);
  run.policy = 'no-fence';
  run.verdict = 'fail';
  run.exitCode = 1;
  run.violations = [violation('fence-before-evacuate', 5 * MIN + 31_000, ['vm-01', 'compute-01'], 'evacuated before fence')];
  run.expectedViolations = [
    { name: 'fence-before-evacuate', found: true },
    { name: 'no-double-run', found: false },
  ];
  run.failures = ['expected violation no-double-run was not found'];
  return run;
}

/** `--seeds 3` from seed 1: two passing runs and one failing. */
export function multiReport(): MultiRunReport {
  const failed = failingRun(2);
  return {
    ihasim: 1, kind: 'multi', scenario: 'power-loss', file: 'scenarios/power-loss.yaml', recoveryBoundMs: 5 * MIN, ...SAMPLE_PROVENANCE, seeds: { first: 1, last: 3, count: 3 },
    verdict: 'fail', exitCode: 1, failures: ['seed 2: 3 safety violations'], failuresOmitted: 0,
    metrics: {
      runs: 3, failedRuns: 1,
      recovery: { count: 3, p50Ms: 90_250, p95Ms: 90_250, p99Ms: 90_250, maxMs: 90_250, meanMs: 90_250 },
      instancesLost: 3, dataLost: 0, falseFences: 0,
      downtimePercentilesMs: Array.from({ length: 101 }, () => 90_250), violationsByInvariant: { 'no-double-run': 1, 'fence-before-evacuate': 1 },
      simulatedMs: 3 * 62 * MIN,
    },
    failedRuns: [summary(failed)],
    failedRunsOmitted: 0,
    worstRuns: [summary(passingRun(1)), summary(failed), summary(passingRun(3))],
    runsJsonl: 'runs.jsonl',
  };
}

/** A run as a multi report lists it. */
export function summary(run: RunReport): RunSummary {
  const violations: Record<string, number> = {};
  for (const v of run.violations) violations[v.invariant] = (violations[v.invariant] ?? 0) + 1;
  return {
    seed: run.seed, verdict: run.verdict, exitCode: run.exitCode, failures: run.failures.slice(0, 3), violations,
    recovery: { ...run.metrics.recovery }, instancesLost: run.metrics.instancesLost, dataLost: run.metrics.dataLost,
    falseFences: run.metrics.falseFences, durationMs: run.durationMs, replay: run.replay,
  };
}

/** Hostile text: markup, quotes, Markdown syntax, control characters (XML 1.0 forbids most), a lone surrogate. */
export const NASTY = `<script>alert("x")</script> & 'q' ]]> | *b* \`c\` # \u0000\u0001\u0007\u001b\u000b\u000c\ud800\uffff end`;

/** A failing run where every user-supplied string is `NASTY` (plus a distinguishing suffix). */
export function nastyRun(): RunReport {
  const run = failingRun(9);
  run.scenario = `${NASTY} scenario`;
  run.file = `${NASTY} file`;
  run.policy = `${NASTY} policy`;
  run.replay = `ihasim run '${NASTY}' --seed 9`;
  run.failures = [`${NASTY} failure`];
  run.violations = [violation('no-double-run', 1_000, [`${NASTY} entity`], `${NASTY} message\nsecond line`)];
  run.instances = [{ ...recoveredInstance(`${NASTY} vm`, 1_000, `${NASTY} from`, `${NASTY} to`) }, lostInstance(`${NASTY} lost`, `${NASTY} reason`)];
  run.events = [event(1_000, `${NASTY} type`, `${NASTY} entity`, `${NASTY} event`)];
  return run;
}
