import type { FaultKind, FaultSpec } from '../scenario-spec.js';

/** One timed fault still holding a target in its faulty state. */
interface Hold {
  readonly fault: FaultSpec;
}

/**
 * Timed faults hold their targets: the undo of one fault restores a target only when no other fault still holds
 * it. Without this, the undo of an earlier fault would restore what a later, overlapping one still holds (a host
 * powered back on in the middle of a second power loss). Holds are keyed by the undo they wait for, the network
 * and the target, so `bmc-unreachable`, `bmc-broken` and `bmc-slow` on one BMC share one key (one `bmc-restore`).
 */
export class FaultHolds {
  private readonly holds = new Map<string, Hold[]>();
  /** Faults not yet undone, with what releases their holds (insertion order: deterministic). */
  private readonly releases = new Map<FaultSpec, () => void>();

  track(fault: FaultSpec, release: () => void): void {
    this.releases.set(fault, release);
  }

  /** Release a tracked fault's holds (once): false when it was released already. */
  untrack(fault: FaultSpec): boolean {
    const release = this.releases.get(fault);
    if (!release) return false;
    this.releases.delete(fault);
    release();
    return true;
  }

  static key(undo: FaultKind, fault: FaultSpec, target: string): string {
    return `${undo}|${fault.network ?? ''}|${target}`;
  }

  acquire(key: string, fault: FaultSpec): Hold {
    const hold = { fault };
    const list = this.holds.get(key);
    if (list) list.push(hold);
    else this.holds.set(key, [hold]);
    return hold;
  }

  /**
   * Release one hold. Returns the holds that remain on the key, or `null` when this hold had already been
   * cleared (an explicit undo fault came first: the target is already restored).
   */
  release(key: string, hold: Hold): readonly Hold[] | null {
    const list = this.holds.get(key);
    const i = list ? list.indexOf(hold) : -1;
    if (!list || i < 0) return null;
    list.splice(i, 1);
    if (list.length === 0) this.holds.delete(key);
    return list;
  }

  /** An explicit undo fault (e.g. `power-restore` in the scenario) restores the target whatever holds it. */
  clear(key: string): void {
    this.holds.delete(key);
  }
}
