import fc from 'fast-check';
import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import type { Violation } from '../../reports/report-types.js';
import { IhasimError } from '../errors.js';
import { usableKinds } from './arbitraries.js';
import type { GeneratedFault } from './schedule.js';
import type { Draw } from './draws.js';
import { checkProperty, counterexampleOf, DEFAULT_RUNS, type RunTally } from './check-property.js';
import { checkOnWorkers } from './check-on-workers.js';

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
  /**
   * Worker threads for the search (default 1: this thread). Any number finds the same counterexample, path,
   * shrinks and run count as one thread; shrinking runs in this thread (see check-on-workers.ts).
   */
  jobs?: number;
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
  // A replay (`--path`) is one schedule and its shrinking: nothing to spread.
  if ((options.jobs ?? 1) > 1 && options.path === undefined) return checkOnWorkers(spec, options, seed);
  const tally: RunTally = { runs: 0, events: 0, stopped: false };
  // Ctrl-C: tell fast-check to stop here (an interruption, not a failure); a counterexample found so far is kept.
  const property = checkProperty(spec, options, tally, () => (tally.stopped || options.shouldStop?.() ? 'signal' : null));
  const t0 = performance.now();
  // The time-limit plugin is typed for any property; the details are of this one.
  const details = (await fc.check(property, {
    seed, numRuns: options.runs ?? DEFAULT_RUNS, ...(options.path ? { path: options.path } : {}),
    plugins: options.timeBudgetMs ? [fc.interruptAfterTimeLimit(options.timeBudgetMs)] : [],
  })) as fc.RunDetails<Draw>;
  return {
    ok: !details.failed, runs: tally.runs, seed, elapsedMs: performance.now() - t0, interrupted: details.interrupted, stopped: tally.stopped,
    events: tally.events, counterexample: details.failed && details.counterexample ? counterexampleOf(spec, details, options.defects ?? []) : null,
  };
}
