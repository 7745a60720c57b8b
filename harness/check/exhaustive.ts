import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import type { Violation } from '../../reports/report-types.js';
import { IhasimError } from '../errors.js';
import { usableKinds } from './arbitraries.js';
import { runSchedule } from './run-schedule.js';
import { HOST_KINDS, describeSchedule, limitConcurrency, type GeneratedFault } from './schedule.js';

/** Refuse enumerations larger than this: a coarser grid or a smaller depth is the answer. */
const MAX_SCHEDULES = 2_000_000;

export interface ExhaustiveResult {
  explored: number;
  elapsedMs: number;
  failure: { schedule: GeneratedFault[]; text: string; violations: Violation[] } | null;
}

/** Targets of one kind in the check's pools (partitions isolate one node on mgmt: the small-scope choice). */
function targetsOf(kind: GeneratedFault['kind'], spec: ScenarioSpec): Partial<GeneratedFault>[] {
  const c = spec.check;
  if (kind === 'network-partition') return [...c.controllers, ...c.hosts].map((n) => ({ isolated: [n], network: 'mgmt' as const }));
  if (kind === 'nic-down') return c.hosts.map((target) => ({ target, network: 'mgmt' as const }));
  if (HOST_KINDS.has(kind)) return c.hosts.map((target) => ({ target }));
  if (kind === 'controller-failure') return c.controllers.map((target) => ({ target }));
  if (kind === 'guest-panic' || kind === 'guest-hang') return c.servers.map((target) => ({ target }));
  return [{}];
}

/** Every single fault on the grid: kind × target × start × duration (one grid step, or the longest allowed). */
export function atoms(spec: ScenarioSpec, gridMs: number): GeneratedFault[] {
  const c = spec.check;
  const out: GeneratedFault[] = [];
  const durations = [...new Set([gridMs, c.maxDurationMs])];
  for (const kind of usableKinds(c)) {
    for (const t of targetsOf(kind, spec)) {
      for (let at = c.windowMs[0]; at <= c.windowMs[1]; at += gridMs) {
        for (const durationMs of durations) out.push({ kind, atMs: at, durationMs, ...t });
      }
    }
  }
  return out;
}

function count(n: number, depth: number): number {
  let total = 0;
  let ways = 1;
  for (let k = 1; k <= depth; k++) {
    ways = (ways * (n - k + 1)) / k;
    total += ways;
  }
  return total;
}

export interface ExhaustiveOptions {
  depth: number;
  gridMs: number;
  defects: readonly string[];
}

/** Small-scope exhaustive checking: every schedule of up to `depth` distinct faults on the grid. */
export function runExhaustive(spec: ScenarioSpec, opts: ExhaustiveOptions): ExhaustiveResult {
  const t0 = performance.now();
  const walk = explore(spec, opts);
  let step = walk.next();
  while (!step.done) step = walk.next();
  return { ...step.value, elapsedMs: performance.now() - t0 };
}

/**
 * The same search, giving the event loop a turn every `YIELD_EVERY` schedules so that Ctrl-C and SIGTERM
 * are seen: `shouldStop` returning true ends it early with `stopped: true` and what was explored so far.
 */
export async function runExhaustiveAsync(
  spec: ScenarioSpec,
  opts: ExhaustiveOptions & { shouldStop?: () => boolean },
): Promise<ExhaustiveResult & { stopped: boolean }> {
  const t0 = performance.now();
  const walk = explore(spec, opts);
  let explored = 0;
  for (let step = walk.next(); ; step = walk.next()) {
    if (step.done) return { ...step.value, elapsedMs: performance.now() - t0, stopped: false };
    explored = step.value;
    if (explored % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r));
    if (opts.shouldStop?.()) return { explored, failure: null, elapsedMs: performance.now() - t0, stopped: true };
  }
}

const YIELD_EVERY = 16;

/** Yields the count explored after each schedule; returns the first failure (depth-first, in atom order). */
function* explore(spec: ScenarioSpec, opts: ExhaustiveOptions): Generator<number, Omit<ExhaustiveResult, 'elapsedMs'>> {
  if (!(opts.gridMs > 0) || opts.depth < 1) throw new IhasimError('IHASIM_USAGE', '--exhaustive needs --depth ≥ 1 and a --grid longer than 0');
  const all = atoms(spec, opts.gridMs);
  const total = count(all.length, opts.depth);
  if (total > MAX_SCHEDULES) {
    throw new IhasimError('IHASIM_USAGE', `--exhaustive would explore ${Math.round(total)} schedules (${all.length} single faults, depth ${opts.depth}); use a coarser --grid, a smaller --depth, or narrow the check block`);
  }
  let explored = 0;
  const pick: GeneratedFault[] = [];
  function* visit(from: number): Generator<number, ExhaustiveResult['failure']> {
    for (let i = from; i < all.length; i++) {
      pick.push(all[i]!);
      const schedule = limitConcurrency(pick, spec.check.maxConcurrent);
      explored++;
      const { violations } = runSchedule(spec, schedule, spec.seed, opts.defects);
      if (violations.length > 0) return { schedule, text: describeSchedule(schedule), violations };
      yield explored;
      const deeper = pick.length < opts.depth ? yield* visit(i + 1) : null;
      pick.pop();
      if (deeper) return deeper;
    }
    return null;
  }
  const failure = yield* visit(0);
  return { explored, failure };
}
