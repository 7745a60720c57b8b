import fc from 'fast-check';
import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import type { Violation } from '../../reports/report-types.js';
import { IhasimError } from '../errors.js';
import { scheduleArbitrary, usableKinds } from './arbitraries.js';
import { runSchedule } from './run-schedule.js';
import { describeSchedule, faultsYaml, type GeneratedFault } from './schedule.js';

export interface CheckOptions {
  /** Most schedules to try (default 1,000,000: the time budget usually ends the run first). */
  runs?: number;
  /** Wall-clock budget for finding a counterexample (shrinking may take a little longer). */
  timeBudgetMs?: number;
  /** fast-check seed (default: the scenario seed). */
  seed?: number;
  /** fast-check replay path (with `seed`, replays a found counterexample directly). */
  path?: string;
  maxFaults?: number;
  defects?: readonly string[];
  /** Called after every schedule (progress bars). */
  onRun?: (runs: number) => void;
  /** Polled between schedules: true stops the check (Ctrl-C). */
  shouldStop?: () => boolean;
}

export interface Counterexample {
  schedule: GeneratedFault[];
  simSeed: number;
  violations: Violation[];
  /** `HostPowerLoss(compute-03) at 5m12s for 4m; …` */
  text: string;
  /** The `faults:` block that reproduces it. */
  yaml: string;
  path: string;
  shrinks: number;
}

export interface CheckResult {
  ok: boolean;
  runs: number;
  seed: number;
  elapsedMs: number;
  /** The time budget ran out (no counterexample within it). */
  interrupted: boolean;
  /** `shouldStop` ended the check (Ctrl-C). */
  stopped: boolean;
  events: number;
  counterexample: Counterexample | null;
}

/**
 * Property-based chaos: fast-check generates fault schedules within the scenario's `check:` space, each runs in
 * the simulator (safety throughout, liveness after the faults heal), and a failure is shrunk to a minimal
 * schedule. The same seed (and path) replays it exactly.
 */
export async function checkScenario(spec: ScenarioSpec, options: CheckOptions = {}): Promise<CheckResult> {
  if (usableKinds(spec.check).length === 0) {
    throw new IhasimError('IHASIM_SCENARIO_SEMANTIC', `the check block of ${spec.name} allows no fault: its kinds have no targets in the scenario`);
  }
  const seed = options.seed ?? spec.seed;
  const defects = options.defects ?? [];
  let runs = 0;
  let events = 0;
  let stopped = false;
  const property = fc.asyncProperty(scheduleArbitrary(spec.check, options.maxFaults), fc.integer({ min: 0, max: 0x7fffffff }), async (schedule, simSeed) => {
    await new Promise((r) => setImmediate(r));
    // Ctrl-C: tell fast-check to stop here (an interruption, not a failure); a counterexample found so far is kept.
    if (stopped || options.shouldStop?.()) {
      stopped = true;
      throw new fc.PreconditionFailure(true);
    }
    const result = runSchedule(spec, schedule, simSeed, defects);
    runs++;
    events += result.events;
    options.onRun?.(runs);
    if (result.violations.length > 0) throw new Error(result.violations.map((v) => `${v.invariant}: ${v.message}`).join('\n'));
  });
  const t0 = performance.now();
  const details = await fc.check(property, {
    seed, numRuns: options.runs ?? 1_000_000, ...(options.path ? { path: options.path } : {}),
    plugins: options.timeBudgetMs ? [fc.interruptAfterTimeLimit(options.timeBudgetMs)] : [],
  });
  const result: CheckResult = {
    ok: !details.failed, runs, seed, elapsedMs: performance.now() - t0, interrupted: details.interrupted, stopped, events, counterexample: null,
  };
  if (details.failed && details.counterexample) {
    const [schedule, simSeed] = details.counterexample as [GeneratedFault[], number];
    const violations = runSchedule(spec, schedule, simSeed, defects).violations;
    result.counterexample = {
      schedule, simSeed, violations, text: describeSchedule(schedule), yaml: faultsYaml(schedule, spec.check),
      path: details.counterexamplePath ?? '', shrinks: details.numShrinks,
    };
  }
  return result;
}
