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
  | CallEffect
  | { kind: 'wait'; signal: Signal }
  | { kind: 'park'; untilMs: number; changed: () => boolean }
  | { kind: 'await'; promise: Promise<unknown> };

/** `perform` is called as a method of the effect (`e.perform()`): see {@link CallOp}. */
export interface CallEffect {
  readonly kind: 'call';
  readonly delayMs: number;
  perform(): unknown;
}

/** A step of recovery logic that yields effects and returns T. Use with `yield*`. */
export type Op<T> = Generator<Effect, T, unknown>;

export function* sleep(ms: number): Op<void> {
  yield { kind: 'sleep', ms };
}

/** Perform `perform` after `delayMs` (latency of an API, a BMC, a daemon); its throw is rethrown into the caller. */
export function call<T>(delayMs: number, perform: () => T): Op<T> {
  return new ClosureCall(delayMs, perform);
}

/**
 * A call as one object: the effect it yields (itself) and the Op that yields it once, then returns what the runner
 * resumes it with or throws what it is thrown — as `function* () { return yield effect; }` would. Written out
 * because calls are most of what a run yields (a rack loss makes hundreds per seed): a generator object, an
 * effect object and a closure per call were a large part of what a simulated run allocates.
 */
export abstract class CallOp<T> implements CallEffect, Op<T> {
  readonly kind = 'call';
  abstract readonly delayMs: number;
  private yielded = false;
  /**
   * The one iterator result `next` hands out, the effect then the answer: updated in place, as `yield*` and the
   * runner read a result at once and keep none.
   */
  private readonly result: { value: unknown; done: boolean } = { value: this, done: false };

  /** The action, when the latency has elapsed. */
  abstract perform(): T;

  next(...[input]: [] | [unknown]): IteratorResult<Effect, T> {
    const result = this.result;
    if (this.yielded) {
      result.value = input;
      result.done = true;
    }
    this.yielded = true;
    return result as IteratorResult<Effect, T>;
  }

  return(value: T): IteratorResult<Effect, T> {
    this.yielded = true;
    return { value, done: true };
  }

  throw(err: unknown): IteratorResult<Effect, T> {
    this.yielded = true;
    throw err;
  }

  [Symbol.iterator](): this {
    return this;
  }
}

class ClosureCall<T> extends CallOp<T> {
  constructor(
    readonly delayMs: number,
    private readonly action: () => T,
  ) {
    super();
  }

  perform(): T {
    return this.action();
  }
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
  /** The `call` whose latency is elapsing: performed when `timer` fires. */
  pendingCall: CallEffect | null = null;
  /**
   * The process's two kernel callbacks, made once at spawn and reused by every effect: a closure per yield was
   * a large part of what a simulated run allocates (a rack loss yields hundreds of times per seed).
   */
  resume: () => void = noop;
  performCall: () => void = noop;
  constructor(
    readonly name: string,
    /** The controller it runs on (null: outside the cluster, e.g. an operator or external monitor). */
    readonly owner: string | null,
    readonly gen: Op<unknown>,
    /** The compute it runs on (a daemon of a design such as Masakari's host monitor): it dies with that host. */
    readonly host: string | null = null,
  ) {}
}

function noop(): void {}

/**
 * Runs recovery processes on the kernel. A `call`'s `perform` runs when its latency has elapsed; errors it throws
 * (NovaApiError and the like) resume the generator with a throw, so policies use plain try/catch.
 */
export class ProcessRunner {
  private readonly live = new Set<Process>();
  /**
   * The process being stepped (or whose call is being performed), null between steps. The simulated ports read it
   * to know where a call comes from (the controller a Nova call is judged against, the node a BMC is reached from)
   * without a design having to say it.
   */
  current: Process | null = null;

  constructor(private readonly kernel: Kernel) {}

  /** `host`: the process runs on that compute instead of a controller (see {@link killOnHost}). */
  spawn(name: string, owner: string | null, gen: Op<unknown>, host: string | null = null): Process {
    const p = new Process(name, owner, gen, host);
    p.resume = () => this.step(p, undefined, false);
    p.performCall = () => this.perform(p);
    this.live.add(p);
    p.timer = this.kernel.after(0, p.resume);
    return p;
  }

  kill(p: Process): void {
    if (p.done) return;
    p.done = true;
    p.pendingCall = null;
    this.kernel.cancel(p.timer);
    this.live.delete(p);
    p.gen.return(undefined);
  }

  /** no-quorum-policy=stop: everything a controller runs stops when it loses quorum or fails. */
  killOwnedBy(owner: string): void {
    for (const p of [...this.live]) if (p.owner === owner) this.kill(p);
  }

  /** A compute died (off, crashed, reset): the daemons that ran on it die with it. */
  killOnHost(host: string): void {
    for (const p of [...this.live]) if (p.host === host) this.kill(p);
  }

  /** Every process placed neither on a controller nor on a compute (a design's `external` place): killed; the count. */
  killUnplaced(): number {
    const gone = [...this.live].filter((p) => p.owner === null && p.host === null);
    gone.forEach((p) => this.kill(p));
    return gone.length;
  }

  running(name: string): Process[] {
    return [...this.live].filter((p) => p.name === name);
  }

  private step(p: Process, input: unknown, isError: boolean): void {
    if (p.done) return;
    p.timer = null;
    const outer = this.current;
    this.current = p;
    let res: IteratorResult<Effect, unknown>;
    try {
      res = isError ? p.gen.throw(input) : p.gen.next(input);
    } finally {
      this.current = outer;
    }
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
        p.timer = this.kernel.after(e.ms, p.resume);
        return;
      case 'call':
        p.pendingCall = e;
        p.timer = this.kernel.after(e.delayMs, p.performCall);
        return;
      case 'wait':
        e.signal.wait(() => {
          if (!p.done) p.timer = this.kernel.after(0, p.resume);
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

  private perform(p: Process): void {
    if (p.done) return;
    const call = p.pendingCall!;
    p.pendingCall = null;
    let value: unknown;
    let failed = false;
    const outer = this.current;
    this.current = p;
    try {
      value = call.perform();
    } catch (err) {
      if (!(err instanceof Error) || !('status' in err)) throw err;
      failed = true;
      value = err;
    } finally {
      this.current = outer;
    }
    this.step(p, value, failed);
  }
}
