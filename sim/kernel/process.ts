import type { Timer } from './event-queue.js';
import type { Kernel } from './kernel.js';

/** Wakes every process waiting on it (an attribute changed, a membership settled…). */
export class Signal {
  private waiters: (() => void)[] = [];

  wait(wake: () => void): void {
    this.waiters.push(wake);
  }

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/**
 * What a recovery process asks of its driver. The same generator code runs in simulated time (this file: each
 * effect becomes a kernel event, so async order is fixed by the queue) and against real endpoints
 * (harness/live: `await` effects); that is what lets the policy under test be the same code in both.
 */
export type Effect =
  | { kind: 'sleep'; ms: number }
  | { kind: 'call'; delayMs: number; perform: () => unknown }
  | { kind: 'wait'; signal: Signal }
  | { kind: 'park'; untilMs: number; changed: () => boolean }
  | { kind: 'await'; promise: Promise<unknown> };

/** A step of recovery logic that yields effects and returns T. Use with `yield*`. */
export type Op<T> = Generator<Effect, T, unknown>;

export function* sleep(ms: number): Op<void> {
  yield { kind: 'sleep', ms };
}

/** Perform `perform` after `delayMs` (latency of an API, a BMC, a daemon); its throw is rethrown into the caller. */
export function* call<T>(delayMs: number, perform: () => T): Op<T> {
  return (yield { kind: 'call', delayMs, perform }) as T;
}

export function* waitFor(signal: Signal): Op<void> {
  yield { kind: 'wait', signal };
}

/**
 * Sleep until `untilMs` or until `changed()` turns true after some event, whichever comes first; returns the
 * simulated time of the change, or null at `untilMs`. For a loop that polls a state that only events change: it
 * parks while the answers would all be the same, then works out where its polls would have been.
 */
export function* park(untilMs: number, changed: () => boolean): Op<number | null> {
  return (yield { kind: 'park', untilMs, changed }) as number | null;
}

export class Process {
  done = false;
  timer: Timer | null = null;
  constructor(
    readonly name: string,
    /** The controller it runs on (null: outside the cluster, e.g. an operator or external monitor). */
    readonly owner: string | null,
    readonly gen: Op<unknown>,
  ) {}
}

/**
 * Runs recovery processes on the kernel. A `call`'s `perform` runs when its latency has elapsed; errors it throws
 * (NovaApiError and the like) resume the generator with a throw, so policies use plain try/catch.
 */
export class ProcessRunner {
  private readonly live = new Set<Process>();

  constructor(private readonly kernel: Kernel) {}

  spawn(name: string, owner: string | null, gen: Op<unknown>): Process {
    const p = new Process(name, owner, gen);
    this.live.add(p);
    p.timer = this.kernel.after(0, () => this.step(p, undefined, false));
    return p;
  }

  kill(p: Process): void {
    if (p.done) return;
    p.done = true;
    this.kernel.cancel(p.timer);
    this.live.delete(p);
    p.gen.return(undefined);
  }

  /** no-quorum-policy=stop: everything a controller runs stops when it loses quorum or fails. */
  killOwnedBy(owner: string): void {
    for (const p of [...this.live]) if (p.owner === owner) this.kill(p);
  }

  running(name: string): Process[] {
    return [...this.live].filter((p) => p.name === name);
  }

  private step(p: Process, input: unknown, isError: boolean): void {
    if (p.done) return;
    p.timer = null;
    const res = isError ? p.gen.throw(input) : p.gen.next(input);
    if (res.done) {
      p.done = true;
      this.live.delete(p);
      return;
    }
    this.handle(p, res.value);
  }

  private handle(p: Process, e: Effect): void {
    switch (e.kind) {
      case 'sleep':
        p.timer = this.kernel.after(e.ms, () => this.step(p, undefined, false));
        return;
      case 'call':
        p.timer = this.kernel.after(e.delayMs, () => this.perform(p, e.perform));
        return;
      case 'wait':
        e.signal.wait(() => {
          if (!p.done) p.timer = this.kernel.after(0, () => this.step(p, undefined, false));
        });
        return;
      case 'park':
        this.park(p, e.untilMs, e.changed);
        return;
      case 'await':
        throw new Error(`process ${p.name}: 'await' effects are for live mode, not the simulator`);
    }
  }

  private park(p: Process, untilMs: number, changed: () => boolean): void {
    const timer = this.kernel.at(untilMs, () => this.step(p, null, false));
    p.timer = timer;
    this.kernel.watch(() => {
      if (p.done || p.timer !== timer) return true;
      if (!changed()) return false;
      this.kernel.cancel(timer);
      this.step(p, this.kernel.now, false);
      return true;
    });
  }

  private perform(p: Process, perform: () => unknown): void {
    if (p.done) return;
    let value: unknown;
    try {
      value = perform();
    } catch (err) {
      if (!(err instanceof Error) || !('status' in err)) throw err;
      return this.step(p, err, true);
    }
    this.step(p, value, false);
  }
}
