/**
 * The executed campaign: each action journaled (and fsynced) before it is taken, observers polling beside it, and
 * on any abort condition (a host outside the targets down, the control plane silent, a canary silent beyond the
 * bound, the wall-clock limit, SIGINT/SIGTERM) every active fault undone, newest first, each undo read back.
 */
import type { Campaign } from './campaign.js';
import type { Executor } from './executor.js';
import type { Journal } from './journal.js';
import type { Observers } from './observers.js';
import type { Action } from './plan.js';
import type { Recorder } from './recorder.js';
import { describeStep } from './steps.js';

export interface RunnerDeps {
  campaign: Campaign;
  actions: readonly Action[];
  executor: Executor;
  journal: Journal;
  observers: Observers;
  recorder: Recorder;
  /** Progress lines for the operator (already redacted by the caller's sink). */
  log: (line: string) => void;
  clock?: () => number;
}

export interface RunnerResult {
  abortReason: string | null;
  signal: NodeJS.Signals | null;
  undoFailures: string[];
  injectFailures: string[];
  durationMs: number;
}

interface Event { atMs: number; type: 'inject' | 'undo'; action: Action }

const iso = (ms: number) => new Date(ms).toISOString();

export class CampaignRunner {
  private abortReason: string | null = null;
  private signal: NodeJS.Signals | null = null;
  private wake: (() => void) | undefined;
  private readonly active = new Map<string, Action>();
  private readonly undoFailures: string[] = [];
  private readonly injectFailures: string[] = [];
  private readonly clock: () => number;
  private startMs = 0;
  private undoing = false;

  constructor(private readonly d: RunnerDeps) {
    this.clock = d.clock ?? Date.now;
  }

  /** Requests an abort (an abort condition, or a signal); the first reason wins. */
  abort(reason: string, signal: NodeJS.Signals | null = null): void {
    if (this.abortReason !== null) {
      if (signal && this.undoing) this.d.log(`${signal}: undoing the active faults first (SIGKILL now leaves them to \`ihasim inject --restore\`)`);
      return;
    }
    this.abortReason = reason;
    this.signal = signal;
    this.wake?.();
  }

  private sleepUntil(wallMs: number): Promise<void> {
    const ms = Math.max(0, wallMs - this.clock());
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }

  private events(): Event[] {
    const ev: Event[] = [];
    for (const a of this.d.actions) {
      ev.push({ atMs: a.atMs, type: 'inject', action: a });
      if (a.undoAtMs !== null) ev.push({ atMs: a.undoAtMs, type: 'undo', action: a });
    }
    // An undo at the same instant as an inject goes first (the blast radius counts half-open intervals).
    return ev.sort((x, y) => x.atMs - y.atMs || (x.type === y.type ? 0 : x.type === 'undo' ? -1 : 1));
  }

  private async inject(a: Action): Promise<void> {
    const now = this.clock();
    this.d.journal.append({ type: 'inject', at: iso(now), id: a.id, kind: a.kind, target: a.target, do: a.do, undo: a.undo, plannedUndoAt: a.undoAtMs === null ? null : iso(this.startMs + a.undoAtMs) });
    if (a.undo) this.active.set(a.id, a);
    this.d.log(`inject ${a.id}: ${describeStep(a.do)}`);
    this.d.recorder.add({ kind: 'fault', source: 'harness', phase: 'injected', id: a.id, fault: a.kind, targets: [a.target] });
    try {
      await this.d.executor.inject(a.do);
      this.d.journal.append({ type: 'injected', at: iso(this.clock()), id: a.id, ok: true });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.d.journal.append({ type: 'injected', at: iso(this.clock()), id: a.id, ok: false, error: message });
      this.injectFailures.push(`${a.id}: ${message}`);
      this.abort(`inject of ${a.id} failed: ${message}`);
    }
  }

  private async undo(a: Action, reason: string): Promise<void> {
    if (!a.undo || !this.active.has(a.id)) return;
    this.d.journal.append({ type: 'undo', at: iso(this.clock()), id: a.id, reason });
    this.d.log(`undo ${a.id} (${reason}): ${describeStep(a.undo)}`);
    const r = await this.d.executor.undo(a.undo);
    this.d.journal.append({ type: 'undone', at: iso(this.clock()), id: a.id, ok: r.ok, verified: r.verified, detail: r.detail });
    this.d.recorder.add({ kind: 'fault', source: 'harness', phase: 'healed', id: a.id, fault: a.kind, targets: [a.target] });
    this.d.log(`  ${r.verified ? 'confirmed' : 'NOT CONFIRMED'}: ${r.detail}`);
    if (r.verified) this.active.delete(a.id);
    else {
      this.undoFailures.push(`${a.id} on ${a.target}: ${r.detail}`);
      // A fault that may still be in counts against the blast radius: inject nothing more, undo the rest.
      this.abort(`the undo of ${a.id} was not confirmed`);
    }
  }

  /** Polls the observers every pollInterval until `until` (wall ms) or an abort. */
  private async observeLoop(stop: { done: boolean }): Promise<void> {
    while (!stop.done) {
      const reason = await this.d.observers.poll();
      if (reason) this.abort(reason);
      if (this.clock() - this.startMs > this.d.campaign.limits.wallClockLimitMs) this.abort('the wall-clock limit (limits.wallClockLimit) was reached');
      if (stop.done) break;
      await new Promise<void>((r) => setTimeout(r, this.d.campaign.limits.pollIntervalMs));
    }
  }

  /** Runs the schedule, then the settle period; undoes everything on abort. */
  async run(): Promise<RunnerResult> {
    this.startMs = this.clock();
    const stop = { done: false };
    const observing = this.observeLoop(stop);
    for (const e of this.events()) {
      await this.sleepUntil(this.startMs + e.atMs);
      if (this.abortReason !== null) break;
      if (e.type === 'inject') await this.inject(e.action);
      else await this.undo(e.action, 'scheduled');
      if (this.abortReason !== null) break;
    }
    if (this.abortReason !== null) await this.undoAll();
    else {
      this.d.log(`schedule done; settling for ${Math.round(this.d.campaign.settleMs / 1000)} s`);
      await this.sleepUntil(this.clock() + this.d.campaign.settleMs);
      // An abort during the settle period finds nothing active; it still ends the wait.
    }
    stop.done = true;
    this.wake?.();
    await observing;
    return { abortReason: this.abortReason, signal: this.signal, undoFailures: this.undoFailures, injectFailures: this.injectFailures, durationMs: this.clock() - this.startMs };
  }

  /** Undoes every active fault, newest first, reading each back. */
  private async undoAll(): Promise<void> {
    this.undoing = true;
    this.d.journal.append({ type: 'abort', at: iso(this.clock()), reason: this.abortReason! });
    this.d.log(`abort: ${this.abortReason}; undoing ${this.active.size} active fault(s), newest first`);
    for (const a of [...this.active.values()].reverse()) await this.undo(a, `abort: ${this.abortReason}`);
  }
}
