import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { IhasimError } from '../errors.js';
import type { Slice } from './seed-worker.js';

type Pool = import('piscina').Piscina;

/** The default of `--jobs`: one worker per core. */
export const defaultJobs = (): number => availableParallelism();

/** `--jobs N`: 1 ≤ N ≤ 256. @throws IhasimError `IHASIM_USAGE` otherwise. */
export function checkJobs(jobs: number | undefined): number {
  const n = jobs ?? defaultJobs();
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new IhasimError('IHASIM_USAGE', `--jobs takes 1..256 worker threads, found ${jobs}`);
  return n;
}

export interface OrderedRunOptions<R> {
  /** Units to run: 0..total-1. */
  total: number;
  jobs: number;
  /**
   * The worker task for units from..to-1. Its results may be a prefix of the slice (`check` stops a slice at a
   * failing schedule): folding then stops after that slice, and later results are dropped.
   */
  slice: (from: number, to: number) => Slice;
  /** Runs units from..to-1 in this thread (jobs 1, or too few units to be worth a worker). */
  inThread: (from: number, to: number) => R[];
  /** Called with results strictly in unit order, `from` being the first unit of `results`. */
  onResults: (results: R[], from: number) => void;
  /** Checked between slices: true stops dispatching; slices in flight finish and are folded. */
  shouldStop?: () => boolean;
  /**
   * `--jobs` not given: start on the main thread alone and add the worker threads only once the rest of the run
   * looks long enough to repay their fixed cost (see {@link workersPayNow}). Given, all lanes start at once.
   */
  autoLanes?: boolean;
  /** The decision of `autoLanes`, asked after each main-lane slice until it says yes (default {@link workersPayNow}). */
  workersPay?: (lane: LaneProgress) => boolean;
}

/** How far the main lane of an auto-lanes run has got. */
export interface LaneProgress {
  /** Since the main lane started on units. */
  elapsedMs: number;
  /** Units not yet taken by any lane. */
  remaining: number;
  /** The main lane's time per unit over its last few slices. */
  recentMsPerUnit: number;
}

/** Units per worker task: big enough to amortise messages, small enough to balance and to stop promptly. */
const sliceSize = (total: number, jobs: number): number => Math.max(1, Math.min(32, Math.ceil(total / (jobs * 8))));

/**
 * Runs units on `jobs` lanes and hands their results back in unit order, whatever order they finish in: every unit
 * is independent, so the folded outcome is the same bytes as one thread's. The main thread is one of the lanes (it
 * has loaded the simulator already, and would otherwise only wait and fold); the others are worker threads. Returns
 * how many units were folded (a prefix of 0..total-1) and whether `shouldStop` cut it short.
 */
export async function runOrdered<R>(o: OrderedRunOptions<R>): Promise<{ done: number; stopped: boolean }> {
  const lanes = lanesFor(o.jobs, o.total);
  if (lanes <= 1) return runInThread(o);
  const threads = lanes - 1;
  const size = sliceSize(o.total, lanes);
  const pending = new Map<number, R[]>();
  let next = 0;
  let folded = 0;
  let stopped = false;
  let failure: unknown = null;
  const fold = (): void => {
    for (let r = pending.get(folded); r !== undefined; r = pending.get(folded)) {
      pending.delete(folded);
      o.onResults(r, folded);
      folded += r.length;
    }
  };
  /** The next `units` units to run, or null when there are none (or the run is stopping). */
  const take = (units: number): { from: number; to: number } | null => {
    if (next >= o.total || failure !== null) return null;
    if (o.shouldStop?.()) {
      stopped = true;
      return null;
    }
    const from = next;
    next = Math.min(o.total, from + units);
    return { from, to: next };
  };
  const workerLane = (pool: Pool) => async (): Promise<void> => {
    for (let s = take(size); s !== null; s = take(size)) {
      try {
        pending.set(s.from, (await pool.run(o.slice(s.from, s.to))) as R[]);
      } catch (err) {
        failure ??= err;
        return;
      }
      fold();
    }
  };
  let pool: Pool | null = null;
  let workers: Promise<void> | null = null;
  /** Starts the worker lanes on a pool: the command's warm one if it has one (it stays the command's), or our own. */
  const startWorkers = (): void => {
    const borrowed = warmPoolFor(threads);
    workers = (borrowed ?? startPool(threads)).then((p) => {
      if (borrowed === null) pool = p;
      // Two slices in flight per worker, so none waits on the main thread between slices.
      return Promise.all(Array.from({ length: threads * 2 }, workerLane(p))).then(() => undefined);
    }, (err: unknown) => {
      failure ??= err;
    });
  };
  if (!o.autoLanes) startWorkers();
  const startedAt = performance.now();
  const recent = new RecentRate();
  // Short slices, with the event loop let in between: the workers' results are folded and their next slices sent.
  const mainSize = Math.max(1, Math.ceil(size / 4));
  const mainLane = async (): Promise<void> => {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      const s = take(mainSize);
      if (s === null) return;
      const t0 = performance.now();
      try {
        pending.set(s.from, o.inThread(s.from, s.to));
      } catch (err) {
        failure ??= err;
        return;
      }
      fold();
      const now = performance.now();
      recent.add(now - t0, s.to - s.from);
      const lane = { elapsedMs: now - startedAt, remaining: o.total - next, recentMsPerUnit: recent.msPerUnit() };
      if (workers === null && (o.workersPay ?? workersPayNow)(lane)) startWorkers();
    }
  };
  try {
    await mainLane();
    await workers;
  } finally {
    await (pool as Pool | null)?.destroy();
  }
  if (failure !== null) throw failure;
  return { done: folded, stopped: stopped && folded < o.total };
}

/** Before this much time on units, the main lane is still warming up and its rate says little about the rest. */
const FIRST_LOOK_MS = 1000;
/**
 * Worker threads are added when the rest of the run, at the main lane's recent rate, would take at least this
 * long. A worker costs about 1 s of CPU before its first result (start-up and V8 compiling the simulator: README
 * "Benchmarks"), on the core the main thread's compiler and collector were using, so on 2 cores it repays that
 * only on a long run: for the 16-host rack loss, two lanes from the start are slower than one at 1,000 and 2,000
 * seeds and faster from about 4,000. The rate after one second still includes warm-up (about twice a warmed
 * seed's time), so the estimate errs long.
 */
const WORTH_A_WORKER_MS = 5000;
/** Main-lane slices the recent rate is taken over: one slice alone can hold a garbage collection. */
const RECENT_SLICES = 8;

/** Time per unit over the last {@link RECENT_SLICES} main-lane slices. */
class RecentRate {
  private readonly slices: { ms: number; units: number }[] = [];

  add(ms: number, units: number): void {
    this.slices.push({ ms, units });
    if (this.slices.length > RECENT_SLICES) this.slices.shift();
  }

  msPerUnit(): number {
    let ms = 0;
    let units = 0;
    for (const s of this.slices) {
      ms += s.ms;
      units += s.units;
    }
    return ms / units;
  }
}

/**
 * Whether an auto-lanes run ({@link OrderedRunOptions.autoLanes}) should start its worker threads now. Only speed
 * depends on it: results are folded in unit order whoever runs them.
 */
export function workersPayNow(lane: LaneProgress): boolean {
  return lane.elapsedMs >= FIRST_LOOK_MS && lane.remaining * lane.recentMsPerUnit >= WORTH_A_WORKER_MS;
}

/** Lanes for `total` units on `jobs`: a lane beyond the main thread is only worth a worker for a few units. */
const lanesFor = (jobs: number, total: number): number => Math.min(jobs, Math.ceil(total / 4));

/** Worker threads a run of `total` units on `jobs` starts (see {@link warmWorkers}): its lanes but the main thread. */
export const workersFor = (jobs: number, total: number): number => lanesFor(jobs, total) - 1;

async function startPool(workers: number): Promise<Pool> {
  const { Piscina } = await import('piscina');
  // Two tasks per worker at once: the second waits in the worker, so it is not idle while the main thread runs its lane.
  return new Piscina({ filename: workerFile(), minThreads: workers, maxThreads: workers, idleTimeout: 1000, concurrentTasksPerWorker: 2 });
}

let warm: { workers: number; pool: Promise<Pool> } | null = null;

/**
 * Starts `workers` threads now, for the command's {@link runOrdered} calls: each loads the simulator while this
 * thread is still reading the scenario (~0.2 s of start-up per thread that would otherwise come after it), and
 * keeps its warmed-up code from one call to the next (a `plan --search` evaluates one value per call). The command
 * owns them: it must {@link releaseWarmWorkers} when done, or their threads keep the process alive.
 */
export function warmWorkers(workers: number): void {
  if (workers < 1 || warm !== null) return;
  const pool = startPool(workers);
  pool.catch(() => undefined); // a failure to start is met again, and reported, by runOrdered
  warm = { workers, pool };
}

/** The command's warm pool if it has `workers` threads; runOrdered borrows it and leaves it running. */
function warmPoolFor(workers: number): Promise<Pool> | null {
  return warm !== null && warm.workers === workers ? warm.pool : null;
}

/** Stops the command's warm workers. */
export async function releaseWarmWorkers(): Promise<void> {
  const w = warm;
  warm = null;
  if (w !== null) await (await w.pool.catch(() => null))?.destroy();
}

async function runInThread<R>(o: OrderedRunOptions<R>): Promise<{ done: number; stopped: boolean }> {
  for (let u = 0; u < o.total; u++) {
    // Yields to the event loop between runs so a Ctrl-C is seen.
    await new Promise((resolve) => setImmediate(resolve));
    if (o.shouldStop?.()) return { done: u, stopped: true };
    o.onResults(o.inThread(u, u + 1), u);
  }
  return { done: o.total, stopped: false };
}

/**
 * The compiled worker beside this module: dist/harness/run/ for the library, dist/cli/ for the bundled CLI (where
 * scripts/bundle-cli.mjs puts it beside the chunk holding this code). Run from the TypeScript sources (the tests),
 * the compiled one in dist/ is used: a worker thread cannot load .ts.
 */
function workerFile(): string {
  const here = fileURLToPath(new URL('./seed-worker.js', import.meta.url));
  if (existsSync(here)) return here;
  const built = fileURLToPath(new URL('../../dist/harness/run/seed-worker.js', import.meta.url));
  if (existsSync(built)) return built;
  throw new IhasimError('IHASIM_INTERNAL', `the seed worker is not built (${here}): run npm run build`);
}
