import type { Timer } from '../kernel/event-queue.js';
import { GUEST_TABLE, type GuestEvent, type GuestState } from './guest-machine.js';
import type { ComputeHost } from './compute-host.js';
import type { Instance } from '../instance.js';

/**
 * One copy of an instance on one hypervisor: the truth of what executes. Nova's record (Instance.nova) may say
 * something else; the checkers judge this.
 */
export class Domain {
  state: GuestState = 'booting';
  /** Set while the host is hung: the domain exists but does not execute. */
  frozen = false;
  bootTimer: Timer | null = null;
  watchdogTimer: Timer | null = null;
  resets = 0;
  /** The guest panics again after every reset (a reset loop). */
  panicsOnBoot = false;
  readonly startedAtMs: number;

  constructor(
    readonly instance: Instance,
    readonly host: ComputeHost,
    now: number,
  ) {
    this.startedAtMs = now;
  }

  /** Booting or running on a host that is not frozen: it can write to its disk and answer its users. */
  get executing(): boolean {
    return !this.frozen && (this.state === 'booting' || this.state === 'running');
  }

  /** Running and serving (what "recovered" means). */
  get serving(): boolean {
    return !this.frozen && this.state === 'running';
  }

  /** Apply a guest event; returns the actions the transition asks for (the caller carries them out). */
  apply(event: GuestEvent): readonly string[] | null {
    const step = GUEST_TABLE.next(this.state, event);
    if (!step) return null;
    this.state = step.to as GuestState;
    return step.actions;
  }
}
