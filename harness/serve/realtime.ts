/**
 * The real-time driver of `ihasim serve`: the simulated world advances with the wall clock, scaled by `speed`.
 * sim now = (wall now − wall start) × speed, capped at the scenario's duration. The kernel is advanced before
 * every request (so requests act on the world at the current sim time) and from a timer (so the world moves
 * while nobody asks). Wall-clock reads live here, in harness/, never in sim/.
 */
import { pino, type Logger } from 'pino';
import { isIhasimError } from '../errors.js';
import type { World } from '../../sim/world.js';

/** One error thrown inside the kernel while the driver advanced it (the server keeps serving). */
export interface KernelError {
  /** Sim time of the event that threw. */
  atMs: number;
  /** Wall-clock epoch ms when it was caught. */
  wallMs: number;
  code: string;
  message: string;
}

export interface RealtimeOptions {
  world: World;
  /** Sim ms per wall ms; default 1. */
  speed?: number;
  /** Sim time at which the world freezes; default the scenario's duration. */
  durationMs?: number;
  /** Wall clock in epoch ms; default `Date.now`. Tests inject a fake one. */
  clock?: () => number;
  /** Timer period in wall ms; default 50. 0 disables the timer (tests call `advance()` themselves). */
  tickMs?: number;
  logger?: Logger;
}

/** Errors kept for the control API: enough to diagnose, bounded so a failing loop cannot eat memory. */
const MAX_ERRORS = 100;
/** A throwing event is dropped and the run goes on; this many in one advance means something loops. */
const MAX_ERRORS_PER_ADVANCE = 10;

export class RealtimeDriver {
  readonly world: World;
  readonly speed: number;
  readonly durationMs: number;
  /** Wall-clock epoch ms of sim time 0 (what the OpenStack API's timestamps are relative to). */
  readonly epochMs: number;
  readonly errors: KernelError[] = [];
  /** Why the world froze: the scenario's end, a runaway kernel, or `stop()`; null while it runs. */
  frozen: 'ended' | 'error' | 'stopped' | null = null;
  private readonly clock: () => number;
  private readonly log: Logger;
  private readonly listeners = new Set<(simNow: number) => void>();
  private timer: NodeJS.Timeout | null = null;
  private advancing = false;
  private errorCount = 0;

  constructor(options: RealtimeOptions) {
    this.world = options.world;
    this.speed = options.speed ?? 1;
    if (!(this.speed > 0) || !Number.isFinite(this.speed)) throw new RangeError(`speed must be a positive number, got ${this.speed}`);
    this.durationMs = options.durationMs ?? options.world.spec.durationMs;
    this.clock = options.clock ?? Date.now;
    this.log = options.logger ?? pino({ level: 'silent' });
    this.epochMs = this.clock();
    const tick = options.tickMs ?? 50;
    if (tick > 0) {
      this.timer = setInterval(() => this.advance(), tick);
      // The servers keep the process alive; the timer alone must not.
      this.timer.unref();
    }
  }

  /**
   * Sim time the wall clock says it is now (not yet applied to the kernel), in whole milliseconds: faults
   * injected live then land on a whole millisecond, which a replay scenario's `at` can state exactly.
   */
  target(): number {
    return Math.min(this.durationMs, Math.max(0, Math.floor((this.clock() - this.epochMs) * this.speed)));
  }

  /** Errors caught since the start (the list keeps the first {@link MAX_ERRORS}). */
  get errorTotal(): number {
    return this.errorCount;
  }

  /** Run a listener after every advance (SSE streams, BMC observation). Returns its removal. */
  onAdvance(listener: (simNow: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Bring the kernel up to the wall clock's sim time and notify listeners; returns the kernel's time.
   * Re-entrant calls (a listener reading through a backend that advances) return at once.
   */
  advance(): number {
    const kernel = this.world.kernel;
    if (this.frozen !== null || this.advancing) return kernel.now;
    this.advancing = true;
    try {
      const until = this.target();
      this.runTo(until);
      if (until >= this.durationMs && this.frozen === null) this.freeze('ended');
      for (const listener of this.listeners) this.notify(listener, kernel.now);
    } finally {
      this.advancing = false;
    }
    return kernel.now;
  }

  /** Stop advancing: the world keeps serving its state as it is. */
  stop(): void {
    if (this.frozen === null) this.freeze('stopped');
    this.clearTimer();
  }

  private runTo(until: number): void {
    for (let failures = 0; failures < MAX_ERRORS_PER_ADVANCE; failures++) {
      try {
        this.world.kernel.run(until);
        return;
      } catch (err) {
        this.record(err);
        // A runaway kernel throws again on every event: freeze rather than spin.
        if (isIhasimError(err) && err.code === 'IHASIM_SIM_BOUND') return this.freeze('error');
      }
    }
    this.freeze('error');
  }

  private record(err: unknown): void {
    const e = err instanceof Error ? err : new Error(String(err));
    const entry: KernelError = {
      atMs: this.world.kernel.now, wallMs: this.clock(), code: isIhasimError(err) ? err.code : 'IHASIM_INTERNAL', message: e.message,
    };
    this.errorCount++;
    if (this.errors.length < MAX_ERRORS) this.errors.push(entry);
    this.log.error({ err: e, simMs: entry.atMs }, 'kernel event threw; event dropped, the world goes on');
  }

  private notify(listener: (simNow: number) => void, simNow: number): void {
    try {
      listener(simNow);
    } catch (err) {
      this.log.error({ err }, 'advance listener threw');
    }
  }

  private freeze(why: 'ended' | 'error' | 'stopped'): void {
    this.frozen = why;
    this.clearTimer();
    this.log.info({ simMs: this.world.kernel.now, why }, 'world frozen');
  }

  private clearTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
