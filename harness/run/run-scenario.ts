import { buildWorld } from '../../sim/build-world.js';
import { disposeWorld } from '../../sim/dispose-world.js';
import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import type { World } from '../../sim/world.js';
import type { InstanceOutcome, RunReport } from '../../reports/report-types.js';
import { INVARIANT_LIST } from '../checkers/invariant-list.js';
import { outcomeOf } from '../checkers/outcomes.js';
import { SimHistory } from '../history/sim/sim-history.js';
import { simEndObservations } from '../history/sim/sim-end.js';
import { assembleRunReport, type RunReportBase } from '../history/run-report.js';
import type { Verdict } from '../history/verdict.js';
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
  /** Record the history (`run --history`): `RunResult.history` then has every observation. */
  history?: boolean;
}

export interface RunResult {
  report: RunReport;
  world: World;
  /** The probe that judged the run; `recorded` holds the history when asked for. */
  history: SimHistory;
}

/** Invariants this run judges: the scenario's list (or all), plus any it expects to be violated. */
export function judgedInvariants(spec: ScenarioSpec): Set<string> {
  const listed = spec.expect.invariants === 'all' ? INVARIANT_LIST : spec.expect.invariants;
  return new Set([...listed, ...spec.expect.violations]);
}

/** Simulate one scenario for one seed: safety judged on the history as it runs, liveness at the end; the report. */
export function runScenario(spec: ScenarioSpec, options: RunOptions = {}): RunResult {
  const seed = options.seed ?? spec.seed;
  const judged = judgedInvariants(spec);
  const history = new SimHistory(judged, { record: options.history ?? false, seed });
  const world = buildWorld(spec, { seed, trace: options.trace ?? true, probe: history, defects: options.defects ?? [] });
  history.attach(world);
  world.kernel.run(spec.durationMs);
  return { report: judgeRun(world, history, { seed, judged, defects: options.defects ?? [] }), world, history };
}

/**
 * One seed of a multi-seed run that keeps only the report: the world and its history are disposed once judged (see
 * {@link disposeWorld}, {@link SimHistory.dispose}), which is what makes `--seeds N` and the benchmarks cheap.
 */
export function runSeedReport(spec: ScenarioSpec, options: RunOptions = {}): RunReport {
  const { report, world, history } = runScenario(spec, options);
  disposeWorld(world);
  history.dispose();
  return report;
}

/** How {@link judgeRun} judges a world. */
export interface JudgeOptions {
  seed: number;
  /** Invariants judged; default {@link judgedInvariants} of the world's scenario. */
  judged?: ReadonlySet<string>;
  defects?: readonly string[];
  /**
   * Judge `convergence` now (default true; it still waits for the scenario's settle time).
   * `ihasim serve` passes false while faults injected through its control API have not settled yet.
   */
  convergence?: boolean;
}

/** The outcome of every affected instance (failed, evacuated or never placed), in the world's order. */
export function affectedOutcomes(world: World, history: SimHistory): InstanceOutcome[] {
  const outcomes: InstanceOutcome[] = [];
  for (const inst of world.instances.values()) {
    if (inst.neverPlaced || inst.milestones.failedAtMs !== null || inst.milestones.evacuations > 0) outcomes.push(outcomeOf(world, inst, history));
  }
  return outcomes;
}

/**
 * The verdicts of a world's history as it stands at `world.kernel.now`: the end observations (outcomes, Nova's view
 * next to the truth) are added to the history, then every judged invariant gives its verdict.
 */
export function judgeWorld(world: World, history: SimHistory, outcomes: readonly InstanceOutcome[], settled: boolean): Verdict[] {
  for (const o of simEndObservations(world, history, outcomes, settled)) history.add(o);
  return history.judgeOf.verdicts();
}

/**
 * The report of a world as it stands at `world.kernel.now`: the verdicts of its history (harness/history), the
 * outcome of every affected instance. `runScenario` calls it once at the end; `ihasim serve` on every `GET /report`.
 */
export function judgeRun(world: World, history: SimHistory, options: JudgeOptions): RunReport {
  const spec = world.spec;
  const outcomes = affectedOutcomes(world, history);
  const base = reportBase(spec, options.seed, world, outcomes, options.defects ?? []);
  const end = simEndObservations(world, history, outcomes, options.convergence !== false);
  // The end line carries what the report says besides verdicts, so `ihasim judge` can write the same report.
  if (history.recorded) (end[end.length - 1] as { report?: unknown }).report = base;
  for (const o of end) history.add(o);
  return assembleRunReport(base, history.header!, history.judgeOf.verdicts(), history.violations);
}

function reportBase(spec: ScenarioSpec, seed: number, world: World, outcomes: InstanceOutcome[], defects: readonly string[]): RunReportBase {
  const actions = operatorActions(world, outcomes);
  return {
    ihasim: 1, kind: 'run', scenario: spec.name, ...(spec.file ? { file: spec.file } : {}), ...reportProvenance(spec), seed,
    replay: replayCommand(spec, seed, defects), policy: spec.recovery.policy, durationMs: spec.durationMs,
    instances: outcomes, metrics: runMetrics(world, outcomes, actions.length), operatorActions: actions, events: timeline(world.trace.records),
  };
}
