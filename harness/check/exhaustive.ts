import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import type { Violation } from '../../reports/report-types.js';
import { IhasimError } from '../errors.js';
import { usableKinds } from './arbitraries.js';
import { runSchedule } from './run-schedule.js';
import { HOST_KINDS, describeSchedule, limitConcurrency, type GeneratedFault } from './schedule.js';
import type { Draw } from './draws.js';
import { firstFailingSchedule } from './first-failure.js';

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
 * With `jobs` > 1 the schedules run on worker threads (see {@link runExhaustiveOnWorkers}).
 */
export async function runExhaustiveAsync(
  spec: ScenarioSpec,
  opts: ExhaustiveOptions & { shouldStop?: () => boolean; jobs?: number },
): Promise<ExhaustiveResult & { stopped: boolean }> {
  if ((opts.jobs ?? 1) > 1) return runExhaustiveOnWorkers(spec, { ...opts, jobs: opts.jobs ?? 1 });
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

/**
 * The exhaustive search on `jobs` worker threads: the schedules are enumerated here in the one-thread order and
 * run in slices on the workers; outcomes are folded in that order, so the failure reported, and the count
 * explored, are the one-thread search's (see {@link firstFailingSchedule}). Ctrl-C stops dispatching; the
 * slices in flight finish and count.
 */
export async function runExhaustiveOnWorkers(
  spec: ScenarioSpec,
  opts: ExhaustiveOptions & { shouldStop?: () => boolean; jobs: number },
): Promise<ExhaustiveResult & { stopped: boolean }> {
  const t0 = performance.now();
  const total = scheduleCount(spec, opts);
  const order = enumerate(spec, opts);
  const search = await firstFailingSchedule({
    spec, defects: opts.defects, jobs: opts.jobs, total,
    draw: (from, to) => Array.from({ length: to - from }, (): Draw => [order.next().value as GeneratedFault[], spec.seed]),
    shouldStop: () => opts.shouldStop?.() === true,
  });
  const elapsedMs = (): number => performance.now() - t0;
  if (!search.failing) return { explored: search.passed, failure: null, elapsedMs: elapsedMs(), stopped: search.stopped };
  const [schedule] = search.failing.draw;
  // Replayed here for its violations: the worker sent back only that it failed.
  const { violations } = runSchedule(spec, schedule, spec.seed, opts.defects);
  return { explored: search.passed + 1, failure: { schedule, text: describeSchedule(schedule), violations }, elapsedMs: elapsedMs(), stopped: false };
}

/** How many schedules the search has. @throws IhasimError `IHASIM_USAGE` for a bad grid or depth, or too many schedules. */
function scheduleCount(spec: ScenarioSpec, opts: ExhaustiveOptions): number {
  if (!(opts.gridMs > 0) || opts.depth < 1) throw new IhasimError('IHASIM_USAGE', '--exhaustive needs --depth ≥ 1 and a --grid longer than 0');
  const n = atoms(spec, opts.gridMs).length;
  const total = count(n, opts.depth);
  if (total > MAX_SCHEDULES) {
    throw new IhasimError('IHASIM_USAGE', `--exhaustive would explore ${Math.round(total)} schedules (${n} single faults, depth ${opts.depth}); use a coarser --grid, a smaller --depth, or narrow the check block`);
  }
  return total;
}

/** Every schedule of up to `depth` distinct faults, depth-first in atom order: the order of the search. */
function* enumerate(spec: ScenarioSpec, opts: ExhaustiveOptions): Generator<GeneratedFault[], void> {
  const all = atoms(spec, opts.gridMs);
  const pick: GeneratedFault[] = [];
  function* visit(from: number): Generator<GeneratedFault[], void> {
    for (let i = from; i < all.length; i++) {
      pick.push(all[i]!);
      yield limitConcurrency(pick, spec.check.maxConcurrent);
      if (pick.length < opts.depth) yield* visit(i + 1);
      pick.pop();
    }
  }
  yield* visit(0);
}

/** Yields the count explored after each schedule; returns the first failure (depth-first, in atom order). */
function* explore(spec: ScenarioSpec, opts: ExhaustiveOptions): Generator<number, Omit<ExhaustiveResult, 'elapsedMs'>> {
  scheduleCount(spec, opts);
  let explored = 0;
  for (const schedule of enumerate(spec, opts)) {
    explored++;
    const { violations } = runSchedule(spec, schedule, spec.seed, opts.defects);
    if (violations.length > 0) return { explored, failure: { schedule, text: describeSchedule(schedule), violations } };
    yield explored;
  }
  return { explored, failure: null };
}
