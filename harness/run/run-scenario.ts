import { buildWorld } from '../../sim/build-world.js';
import { disposeWorld } from '../../sim/dispose-world.js';
import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import type { World } from '../../sim/world.js';
import type { RunReport, Violation } from '../../reports/report-types.js';
import { INVARIANT_LIST } from '../checkers/invariant-list.js';
import { checkConvergence, checkRecoveryAfterHeal, checkRecoveryBound, checkServersPlaced, healTime } from '../checkers/liveness.js';
import { outcomeOf } from '../checkers/outcomes.js';
import { SafetyChecker } from '../checkers/safety.js';
import { runMetrics } from './metrics.js';
import { timeline } from './timeline.js';
import { replayCommand } from './replay.js';
import { reportProvenance } from '../version.js';
import { operatorActions } from './operator-actions.js';

export interface RunOptions {
  seed?: number;
  /** Keep the full trace (for --trace and the timeline); off makes a run cheaper. */
  trace?: boolean;
  defects?: readonly string[];
}

export interface RunResult {
  report: RunReport;
  world: World;
}

/** Invariants this run judges: the scenario's list (or all), plus any it expects to be violated. */
export function judgedInvariants(spec: ScenarioSpec): Set<string> {
  const listed = spec.expect.invariants === 'all' ? INVARIANT_LIST : spec.expect.invariants;
  return new Set([...listed, ...spec.expect.violations]);
}

/** Simulate one scenario for one seed: safety judged as it runs, liveness at the end; the report. */
export function runScenario(spec: ScenarioSpec, options: RunOptions = {}): RunResult {
  const seed = options.seed ?? spec.seed;
  const judged = judgedInvariants(spec);
  const safety = new SafetyChecker(judged);
  const world = buildWorld(spec, { seed, trace: options.trace ?? true, probe: safety, defects: options.defects ?? [] });
  safety.attach(world);
  world.kernel.run(spec.durationMs);
  return { report: judgeRun(world, safety, { seed, judged, defects: options.defects ?? [] }), world };
}

/**
 * One seed of a multi-seed run that keeps only the report: the world is disposed once judged (see
 * {@link disposeWorld}), which is what makes `--seeds N` and the benchmarks cheap.
 */
export function runSeedReport(spec: ScenarioSpec, options: RunOptions = {}): RunReport {
  const { report, world } = runScenario(spec, options);
  disposeWorld(world);
  return report;
}

/** How {@link judgeRun} judges a world. */
export interface JudgeOptions {
  seed: number;
  /** Invariants judged; default {@link judgedInvariants} of the world's scenario. */
  judged?: ReadonlySet<string>;
  defects?: readonly string[];
  /**
   * Judge `convergence` now (default true; `checkConvergence` still waits for the scenario's settle time).
   * `ihasim serve` passes false while faults injected through its control API have not settled yet.
   */
  convergence?: boolean;
}

/**
 * The report of a world as it stands at `world.kernel.now`: safety violations found so far by `safety` (the
 * world's probe), liveness judged now, the outcome of every affected instance. `runScenario` calls it once at
 * the end; `ihasim serve` calls it on every `GET /report`.
 */
export function judgeRun(world: World, safety: SafetyChecker, options: JudgeOptions): RunReport {
  const spec = world.spec;
  const judged = options.judged ?? judgedInvariants(spec);
  const outcomes: RunReport['instances'] = [];
  for (const inst of world.instances.values()) {
    if (inst.neverPlaced || inst.milestones.failedAtMs !== null || inst.milestones.evacuations > 0) outcomes.push(outcomeOf(world, inst, safety));
  }
  const violations: Violation[] = [...safety.violations];
  const bound = spec.expect.recoveryBoundMs;
  if (judged.has('recovery-bounded') && bound !== undefined) {
    const eligible = boundedOutcomes(world, safety, outcomes);
    violations.push(...(spec.expect.recoveryBoundFrom === 'heal'
      ? checkRecoveryAfterHeal(world, eligible, healTime(spec.faults), bound)
      : checkRecoveryBound(world, eligible, bound)));
  }
  if (judged.has('convergence') && options.convergence !== false) violations.push(...checkConvergence(world));
  if (judged.has('servers-placed')) violations.push(...checkServersPlaced(outcomes));
  return buildReport(spec, options.seed, world, violations, outcomes, options.defects ?? []);
}

/** `recovery-bounded` is about the instances the policy is meant to recover: those its filter opts in. */
export function boundedOutcomes(world: World, safety: SafetyChecker, outcomes: RunReport['instances']): RunReport['instances'] {
  return outcomes.filter((o) => safety.isEligible(world.instancesByName.get(o.name)!));
}

function buildReport(spec: ScenarioSpec, seed: number, world: World, violations: Violation[], outcomes: RunReport['instances'], defects: readonly string[]): RunReport {
  const found = new Set(violations.map((v) => v.invariant));
  const expected = spec.expect.violations.map((name) => ({ name, found: found.has(name) }));
  const unexpected = violations.filter((v) => !spec.expect.violations.includes(v.invariant));
  const failures = [
    ...unexpected.map((v) => `${v.invariant}: ${v.message}`),
    ...expected.filter((e) => !e.found).map((e) => `expected violation ${e.name} was not found`),
  ];
  const safetyFail = unexpected.some((v) => v.kind === 'safety') || expected.some((e) => !e.found);
  const exitCode = safetyFail ? 1 : unexpected.length > 0 ? 2 : 0;
  const actions = operatorActions(world, outcomes);
  return {
    ihasim: 1, kind: 'run', scenario: spec.name, ...(spec.file ? { file: spec.file } : {}), ...reportProvenance(spec), seed,
    verdict: exitCode === 0 ? 'pass' : 'fail', exitCode, failures,
    replay: replayCommand(spec, seed, defects), policy: spec.recovery.policy, durationMs: spec.durationMs,
    violations: violations.sort((a, b) => a.atMs - b.atMs), expectedViolations: expected,
    instances: outcomes, metrics: runMetrics(world, outcomes, actions.length), operatorActions: actions, events: timeline(world.trace.records),
  };
}
