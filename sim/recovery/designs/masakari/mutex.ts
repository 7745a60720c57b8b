import { Signal, waitFor, type Op } from '../../../kernel/process.js';

/**
 * A lock between the design's processes (oslo lockutils' internal lock, a tooz lock). `acquire` waits; `tryAcquire`
 * is `blocking=False`. FIFO is not promised by either upstream lock, but waiters here are woken together and the
 * first to run takes it.
 */
export class Mutex {
  private held = false;
  private readonly released = new Signal();

  *acquire(): Op<void> {
    while (this.held) yield* waitFor(this.released);
    this.held = true;
  }

  tryAcquire(): boolean {
    if (this.held) return false;
    this.held = true;
    return true;
  }

  release(): void {
    this.held = false;
    this.released.notify();
  }
}

/** One mutex per name (`utils.synchronized(name)` within one process). */
export class NamedLocks {
  private readonly locks = new Map<string, Mutex>();

  get(name: string): Mutex {
    let m = this.locks.get(name);
    if (!m) this.locks.set(name, (m = new Mutex()));
    return m;
  }
}

/** Run `body` holding `mutex`. */
export function* withLock<T>(mutex: Mutex, body: () => Op<T>): Op<T> {
  yield* mutex.acquire();
  try {
    return yield* body();
  } finally {
    mutex.release();
  }
}
