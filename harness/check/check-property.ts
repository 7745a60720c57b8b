import fc from 'fast-check';
import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import { drawArbitraries, type Draw } from './draws.js';
import { runSchedule } from './run-schedule.js';
import { describeSchedule, faultsYaml } from './schedule.js';
import type { CheckOptions, Counterexample } from './check-scenario.js';

/** `--runs` when not given: the time budget usually ends the search first. */
export const DEFAULT_RUNS = 1_000_000;

/** What the property has run: the runs counted in the result, their events, and whether Ctrl-C stopped it. */
export interface RunTally {
  runs: number;
  events: number;
  stopped: boolean;
}

/** Why the property should stop before the next run: Ctrl-C (`signal`), the time budget, or not at all. */
export type StopReason = 'signal' | 'budget' | null;

/**
 * The property of `ihasim check`: each draw (a schedule and a simulation seed) runs in the simulator, and a
 * violation fails it. `stopHere` is asked before each run; stopping is an interruption (fast-check keeps a
 * counterexample found so far), not a failure.
 */
export function checkProperty(spec: ScenarioSpec, options: CheckOptions, tally: RunTally, stopHere: () => StopReason) {
  const defects = options.defects ?? [];
  return fc.asyncProperty(...drawArbitraries(spec.check, options.maxFaults), async (schedule, simSeed) => {
    await new Promise((r) => setImmediate(r));
    const why = stopHere();
    if (why === 'signal') tally.stopped = true;
    if (why !== null) throw new fc.PreconditionFailure(true);
    const result = runSchedule(spec, schedule, simSeed, defects);
    tally.runs++;
    tally.events += result.events;
    options.onRun?.(tally.runs);
    if (result.violations.length > 0) throw new Error(result.violations.map((v) => `${v.invariant}: ${v.message}`).join('\n'));
  });
}

/** The reported counterexample of a failed `fc.check` of {@link checkProperty}: its schedule replayed once more for the violations. */
export function counterexampleOf(spec: ScenarioSpec, details: fc.RunDetails<Draw>, defects: readonly string[]): Counterexample {
  const [schedule, simSeed] = details.counterexample!;
  const violations = runSchedule(spec, schedule, simSeed, defects).violations;
  return {
    schedule, simSeed, violations, text: describeSchedule(schedule), yaml: faultsYaml(schedule, spec.check),
    path: details.counterexamplePath ?? '', shrinks: details.numShrinks,
  };
}
