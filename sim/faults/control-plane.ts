import type { Dist } from '../kernel/dist-types.js';
import type { Rng } from '../kernel/rng.js';

/** A target of a fault without one (`rebuild-rpc-lost` on any destination, `attrd-update-lost` on any node). */
export const ANY = '*';

/**
 * Messages a fault drops: the next one to each key (a fault without `duration`), or, while a window is open (a fault
 * with `duration`), each one with the window's rate. Keys are host names, or {@link ANY}.
 */
export class Drops {
  private readonly next = new Map<string, number>();
  private readonly windows = new Map<string, number>();

  armNext(keys: readonly string[]): void {
    for (const k of keys) this.next.set(k, (this.next.get(k) ?? 0) + 1);
  }

  open(keys: readonly string[], rate: number): void {
    for (const k of keys) this.windows.set(k, Math.max(rate, this.windows.get(k) ?? 0));
  }

  close(keys: readonly string[]): void {
    for (const k of keys) this.windows.delete(k);
  }

  /**
   * Whether the message to `key` is dropped (a one-shot drop is used up by it). `rng` is asked for only when a draw
   * is needed: creating a stream forks the run's root generator, which would shift every stream created after it.
   */
  takes(key: string, rng: () => Rng): boolean {
    if (this.takeNext(key) || this.takeNext(ANY)) return true;
    const rate = Math.max(this.windows.get(key) ?? 0, this.windows.get(ANY) ?? 0);
    return rate >= 1 || (rate > 0 && rng().float() < rate);
  }

  /** No drop armed and no window open: nothing is dropped (checked per message, before making `takes`'s arguments). */
  get idle(): boolean {
    return this.next.size === 0 && this.windows.size === 0;
  }

  /** Use up a one-shot drop armed for `key`, if there is one. */
  private takeNext(key: string): boolean {
    const n = this.next.get(key) ?? 0;
    if (n === 0) return false;
    if (n === 1) this.next.delete(key);
    else this.next.set(key, n - 1);
    return true;
  }
}

/**
 * The state of the faults injected at the seams of the recovery logic (FoundationDB's BUGGIFY lesson: bugs live
 * where one component trusts another): the Nova API as the agent sees it, the message bus between nova-compute and
 * the conductor, Nova's conductor and scheduler, attrd updates and the agent's keystone token. The world's own
 * operations consult it; the faults catalogue (catalogue.ts) sets and clears it.
 */
export class ControlPlaneFaults {
  /** nova-api-errors: share of the agent's Nova calls answered 500/503. */
  apiErrorRate = 0;
  /** nova-api-slow: added to each of the agent's Nova calls. */
  apiLatency: Dist | null = null;
  /** keystone-token-expired: the next agent call meets a 401 and keystoneauth re-authenticates first. */
  tokenExpired = false;
  /** rebuild-rpc-lost: rebuild casts to these destinations are dropped by the message bus. */
  readonly rebuildCasts = new Drops();
  /** message-bus-cut: these computes' RPC (reports, rebuild casts) no longer reach the conductor. */
  readonly busCut = new Set<string>();
  conductorDown = false;
  schedulerDown = false;
  /** Work waiting for the conductor (rebuild_instance casts) or the scheduler (select_destinations calls). */
  readonly conductorWaiters: (() => void)[] = [];
  readonly schedulerWaiters: (() => void)[] = [];
  /** attrd-update-lost: updates of these nodes' attributes are lost. */
  readonly attrdUpdates = new Drops();
  /** attrd-delay: each update reaches the attribute store this much later. */
  attrdLatency: Dist | null = null;
  /** When the last delayed update of each node lands (updates of one node stay in order). */
  readonly attrdLandsAt = new Map<string, number>();

  /** Whether nova-compute on `host` can reach the conductor (its heartbeats are recorded, it takes casts). */
  busFlows(host: string): boolean {
    return !this.conductorDown && !this.busCut.has(host);
  }
}
