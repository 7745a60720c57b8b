import { formatMs } from '../../../reports/format-duration.js';
import type { Violation } from '../../../reports/report-types.js';
import { eligibilityOf, type CheckerEntry, type InvariantChecker } from '../checker.js';
import type { EndObservation, HeaderObservation, Observation, OutcomeObservation } from '../observation.js';
import type { Verdict } from '../verdict.js';
import { heartbeatOutages, novaOutages, type Outage } from './outages.js';

const NAME = 'recovery-bounded';

function violation(atMs: number, entities: string[], message: string): Violation {
  return { invariant: NAME, kind: 'liveness', atMs, entities, message };
}

/**
 * `recovery-bounded`: every failed opted-in instance serves again within the bound, unless the reason it did not is
 * one the scenario allows. With `recoveryBoundFrom: heal` the bound runs from the later of the failure and the last
 * fault's heal. Judged on the measured outcomes when the history has them (the simulator's truth); else on the gaps
 * in each opted-in instance's canary heartbeats; else on Nova's view (ACTIVE on a host whose service is up). The
 * verdict's messages say which.
 */
class RecoveryBounded implements InvariantChecker {
  /** By instance, the latest (`ihasim serve` measures again at every report). */
  private readonly outcomes = new Map<string, OutcomeObservation>();
  private readonly rest: Observation[] = [];
  private readonly eligible: ReadonlySet<string>;

  constructor(private readonly header: HeaderObservation) {
    this.eligible = eligibilityOf(header).eligible;
  }

  step(o: Observation) {
    if (o.kind === 'outcome') this.outcomes.set(o.instance, o);
    // The simulator's outcomes are exact: it keeps nothing else (a run of many seeds stays cheap).
    else if (this.header.mode !== 'run') this.rest.push(o);
    return undefined;
  }

  finish(end: EndObservation | null): Verdict {
    const bound = this.header.recoveryBoundMs;
    if (bound === undefined) {
      return this.header.mode === 'run' ? { invariant: NAME, status: 'pass' } : { invariant: NAME, status: 'unknown', why: 'no recovery bound was set' };
    }
    if (end === null) return { invariant: NAME, status: 'unknown', why: 'the history has no end line (truncated?)' };
    const out = this.outcomes.size > 0 || this.header.mode === 'run' ? this.fromOutcomes(end.t, bound) : this.fromObservations(end.t, bound);
    if (out === null) return { invariant: NAME, status: 'unknown', why: 'recovery-bounded needs canary heartbeats or Nova server views of the opted-in instances; this history has neither' };
    return out.length > 0 ? { invariant: NAME, status: 'fail', violations: out } : { invariant: NAME, status: 'pass' };
  }

  private fromOutcomes(end: number, bound: number): Violation[] {
    const allowed = new Set(this.header.allowedReasons);
    const fromHeal = this.header.recoveryBoundFrom === 'heal';
    const out: Violation[] = [];
    // Nothing is built for an outcome within its bound: this runs on every affected instance of every seed.
    for (const o of this.outcomes.values()) {
      if (o.failedAtMs === null || !this.eligible.has(o.instance)) continue;
      const unexcused = o.outcome === 'not-recovered' && !allowed.has(o.reason ?? '');
      if (fromHeal) {
        const from = Math.max(o.failedAtMs, this.header.healedAtMs);
        const late = o.recoveredAtMs !== null && o.recoveredAtMs - from > bound;
        if (!late && !(unexcused && from + bound <= end)) continue;
        const why = late ? `recovered ${formatMs(o.recoveredAtMs! - from)} after the faults healed` : `not recovered (${o.reason})`;
        out.push(violation(from + bound, [o.instance, o.fromHost ?? '?'], `${o.instance} ${why}; bound ${formatMs(bound)}`));
        continue;
      }
      const late = (o.downtimeMs !== null && o.downtimeMs > bound) || o.longestEarlierOutageMs > bound;
      if (!late && !(unexcused && o.failedAtMs + bound <= end)) continue;
      const longest = Math.max(o.downtimeMs ?? 0, o.longestEarlierOutageMs);
      const why = late ? `recovered after ${formatMs(longest)}` : `not recovered (${o.reason}) ${formatMs(end - o.failedAtMs)} after failing`;
      out.push(violation(o.failedAtMs + bound, [o.instance, o.fromHost ?? '?'], `${o.instance} ${why}; bound ${formatMs(bound)}`));
    }
    return out;
  }

  /** Live: outages from heartbeat gaps (canary) or, for an instance without a canary, from Nova's view. */
  private fromObservations(end: number, bound: number): Violation[] | null {
    const byHeartbeat = heartbeatOutages(this.rest, this.header, end);
    const byNova = novaOutages(this.rest, end);
    if (byHeartbeat.size === 0 && byNova.size === 0) return null;
    const from = (o: Outage) => (this.header.recoveryBoundFrom === 'heal' ? Math.max(o.fromMs, this.header.healedAtMs) : o.fromMs);
    const out: Violation[] = [];
    for (const name of this.eligible) {
      const [outages, via] = byHeartbeat.has(name) ? [byHeartbeat.get(name)!, 'canary heartbeats'] : [byNova.get(name) ?? [], "Nova's view: ACTIVE on a host whose service is up"];
      for (const o of outages) {
        const start = from(o);
        if (o.toMs !== null && o.toMs - start <= bound) continue;
        if (o.toMs === null && start + bound > end) continue;
        const why = o.toMs !== null ? `recovered after ${formatMs(o.toMs - start)}` : `not recovered ${formatMs(end - start)} after failing`;
        out.push(violation(start + bound, [name, o.host ?? '?'], `${name} ${why}; bound ${formatMs(bound)} (judged from ${via})`));
        break;
      }
    }
    return out;
  }
}

export const RECOVERY_BOUNDED: CheckerEntry = {
  name: NAME, kind: 'liveness', reads: ['outcome'], liveReads: ['heartbeat', 'nova-server', 'nova-service'], create: (h) => new RecoveryBounded(h),
};
