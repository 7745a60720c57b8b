import { IhasimError } from '../../harness/errors.js';
import { EventQueue, type Timer } from './event-queue.js';

/** Why a bounded run stopped. */
export type StopReason = 'until' | 'idle' | 'stopped';

/**
 * Looks at the world after each event (see `Kernel.watch`); returns true when done watching. Lets a process that
 * would otherwise poll a steady state (a status query every second) sleep until that state changes, at no event.
 */
export type Watcher = () => boolean;

/**
 * The simulation kernel: virtual time and the event queue. Nothing here reads the wall clock; time only moves
 * when the next event is taken, so waiting a simulated day costs nothing.
 */
export class Kernel {
  private readonly queue = new EventQueue();
  private seq = 0;
  private halted = false;
  private watchers: Watcher[] = [];
  /** Current simulated time, ms since the run start. */
  now = 0;
  /** Events fired so far. */
  processed = 0;
  readonly maxEvents: number;

  constructor(maxEvents = Number.MAX_SAFE_INTEGER) {
    this.maxEvents = maxEvents;
  }

  /** Schedule `fire` at absolute simulated time `atMs` (never in the past). */
  at(atMs: number, fire: () => void): Timer {
    const timer: Timer = { at: atMs < this.now ? this.now : atMs, seq: this.seq++, fire, cancelled: false };
    this.queue.push(timer);
    return timer;
  }

  /** Schedule `fire` after `delayMs` of simulated time. */
  after(delayMs: number, fire: () => void): Timer {
    return this.at(this.now + (delayMs > 0 ? delayMs : 0), fire);
  }

  cancel(timer: Timer | null | undefined): void {
    if (timer) timer.cancelled = true;
  }

  /** Call `watcher` after every event from now on, until it returns true. */
  watch(watcher: Watcher): void {
    this.watchers.push(watcher);
  }

  /** Drop every pending event (the run is over and its world is being disposed). */
  clear(): void {
    this.queue.clear();
    this.watchers = [];
  }

  /** Stop the current `run` after the event being fired. */
  halt(): void {
    this.halted = true;
  }

  /** Time of the next live event, or undefined when idle. */
  nextAt(): number | undefined {
    return this.queue.peek()?.at;
  }

  /**
   * Fire events in (time, seq) order up to and including `untilMs`, then set `now = untilMs`.
   * Throws IHASIM_SIM_BOUND past `maxEvents` (a runaway loop is a bug, not a result).
   */
  run(untilMs: number): StopReason {
    this.halted = false;
    // The world may have changed between runs (`ihasim serve`'s control API): watchers see it at this time.
    if (this.watchers.length !== 0) this.runWatchers();
    for (;;) {
      const next = this.queue.peek();
      if (next === undefined) {
        this.now = Math.max(this.now, untilMs);
        return 'idle';
      }
      if (next.at > untilMs) {
        this.now = Math.max(this.now, untilMs);
        return 'until';
      }
      this.queue.pop();
      this.now = next.at;
      if (++this.processed > this.maxEvents) {
        throw new IhasimError('IHASIM_SIM_BOUND', `simulation exceeded ${this.maxEvents} events at t=${this.now}ms`);
      }
      next.fire();
      if (this.watchers.length !== 0) this.runWatchers();
      if (this.halted) return 'stopped';
    }
  }

  private runWatchers(): void {
    // In place, without allocating: this runs after every event while a process is parked. A watcher may add
    // watchers (a woken process parks again): they are pushed past `n` and kept, after the ones kept here.
    const watchers = this.watchers;
    const n = watchers.length;
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const watcher = watchers[i]!;
      if (!watcher()) watchers[kept++] = watcher;
    }
    if (kept === n) return;
    watchers.copyWithin(kept, n);
    watchers.length -= n - kept;
  }
}
