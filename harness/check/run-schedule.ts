import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import type { Violation } from '../../reports/report-types.js';
import { judgeWorld, runScenario } from '../run/run-scenario.js';
import { toFaultSpec, type GeneratedFault } from './schedule.js';
import { outcomeOf } from '../checkers/outcomes.js';
import { INVARIANT_LIST } from '../checkers/invariant-list.js';
import { SimHistory } from '../history/sim/sim-history.js';
import { healTime } from '../history/sim/sim-header.js';
import { buildWorld } from '../../sim/build-world.js';
import { disposeWorld } from '../../sim/dispose-world.js';

const MIN = 60_000;

/** A schedule is judged on every invariant but `servers-placed` (the scenario's placement at start is not searched). */
const SCHEDULE_INVARIANTS: ReadonlySet<string> = new Set(INVARIANT_LIST.filter((n) => n !== 'servers-placed'));

/**
 * The scenario with the generated faults instead of its own, lasting through a liveness phase: after the last
 * fault heals, recovery must finish within the bound and the world must converge after the settle time.
 */
export function scheduleScenario(spec: ScenarioSpec, schedule: readonly GeneratedFault[]): ScenarioSpec {
  const healed = healTime(schedule.map((f) => toFaultSpec(f, spec.check)));
  const tail = Math.max(spec.check.recoveryBoundMs, spec.config.run.settleMs) + MIN;
  return {
    ...spec,
    faults: schedule.map((f) => toFaultSpec(f, spec.check)),
    durationMs: healed + tail,
    expect: { invariants: 'all', violations: [], allowedReasons: spec.expect.allowedReasons, recoveryBoundMs: spec.check.recoveryBoundMs, recoveryBoundFrom: 'heal' },
  };
}

export interface ScheduleResult {
  violations: Violation[];
  events: number;
}

/** Run one schedule: safety during the whole run, liveness after the last fault healed. */
export function runSchedule(spec: ScenarioSpec, schedule: readonly GeneratedFault[], seed: number, defects: readonly string[] = []): ScheduleResult {
  const full = scheduleScenario(spec, schedule);
  const history = new SimHistory(SCHEDULE_INVARIANTS);
  const world = buildWorld(full, { seed, trace: false, probe: history, defects });
  history.attach(world);
  world.kernel.run(full.durationMs);
  const outcomes = [];
  for (const inst of world.instances.values()) if (inst.milestones.failedAtMs !== null) outcomes.push(outcomeOf(world, inst, history));
  const verdicts = judgeWorld(world, history, outcomes, true);
  const violations = [...history.violations, ...verdicts.flatMap((v) => (v.status === 'fail' ? v.violations.filter((x) => x.kind === 'liveness') : []))];
  const events = world.kernel.processed;
  disposeWorld(world);
  history.dispose();
  return { violations, events };
}

/** Replay a schedule as `ihasim run` would, with the full report (trace on). */
export function replaySchedule(spec: ScenarioSpec, schedule: readonly GeneratedFault[], seed: number, defects: readonly string[] = []) {
  return runScenario(scheduleScenario(spec, schedule), { seed, defects, trace: true });
}
