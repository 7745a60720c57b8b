import { eligibilityOf, Findings, type CheckerEntry, type InvariantChecker } from '../checker.js';
import type { EvacuationObservation, HeaderObservation, Observation } from '../observation.js';

/**
 * `fence-before-evacuate`: no evacuation from host H is accepted before H is confirmed powered off, by a fence device
 * *and* truly (a device that says OK without powering off does not count), since the instance started on H. The
 * simulator states the source's truth on the evacuation itself, judged at once.
 *
 * A live history has no fence device's word when recovery runs inside the cloud, only the BMC power readings the
 * campaign polls (and a fence agent confirms with the same status read). It is judged at the end: an evacuation from
 * H passes when a reading of H said off after the instance started there and no later than the first reading after
 * the evacuation (the readings are polled: the off that allowed it may be seen one poll late); it fails when H was
 * read and never off in that window; and when H's power was never read, it cannot be judged (`unknown`).
 */
class FenceBeforeEvacuate implements InvariantChecker {
  private readonly found = new Findings('fence-before-evacuate', 'safety');
  private readonly fencedAt = new Map<string, number>();
  private readonly readings = new Map<string, { t: number; off: boolean }[]>();
  private readonly startedAt = new Map<string, number>();
  private readonly live: EvacuationObservation[] = [];
  /** The history has a fence observer: then its confirmation is required, as in a simulated run. */
  private fenceObserved = false;

  constructor(private readonly header: HeaderObservation) {}

  step(o: Observation) {
    if (o.kind === 'fence') this.fenceObserved = true;
    if (o.kind === 'fence' && o.phase === 'result' && o.ok) this.fencedAt.set(o.host, o.t);
    else if (o.kind === 'power' && o.state !== 'unknown') this.reading(o.host, o.t, o.state === 'off');
    else if (o.kind === 'domain' && o.phase === 'started') this.startedAt.set(`${o.instance}@${o.host}`, o.t);
    else if (o.kind === 'nova-server') this.found.heard = true;
    else if (o.kind === 'evacuation') return this.evacuation(o);
    return undefined;
  }

  private reading(host: string, t: number, off: boolean): void {
    let list = this.readings.get(host);
    if (!list) this.readings.set(host, (list = []));
    list.push({ t, off });
  }

  private evacuation(o: EvacuationObservation) {
    this.found.heard = true;
    const truth = o.truth;
    if (!truth) {
      this.live.push(o);
      return undefined;
    }
    const started = truth.startedOnSourceAtMs ?? 0;
    const fence = truth.fenceConfirmedAtMs;
    const off = truth.poweredOffAtMs;
    if (fence !== null && fence >= started && off !== null && off >= started) return undefined;
    return this.violation(o);
  }

  private violation(o: EvacuationObservation) {
    return this.found.add(`${o.instance}@${o.t}`, o.t, [o.instance, o.fromHost],
      `evacuation of ${o.instance} from ${o.fromHost} accepted before ${o.fromHost} was confirmed powered off`);
  }

  /** Live: 'ok', 'violated', or 'unread' (the source's power was never read). */
  private judgeLive(o: EvacuationObservation): 'ok' | 'violated' | 'unread' {
    const readings = this.readings.get(o.fromHost) ?? [];
    const started = this.startedAt.get(`${o.instance}@${o.fromHost}`) ?? 0;
    const fenced = this.fencedAt.get(o.fromHost);
    const fencedInTime = fenced !== undefined && fenced >= started && fenced <= o.t;
    if (this.fenceObserved && !fencedInTime) return 'violated';
    if (readings.length === 0) return fencedInTime ? 'ok' : 'unread';
    const until = readings.find((r) => r.t >= o.t)?.t ?? Infinity;
    return readings.some((r) => r.off && r.t >= started && r.t <= until) ? 'ok' : 'violated';
  }

  finish() {
    let unread = 0;
    for (const o of this.live) {
      const v = this.judgeLive(o);
      if (v === 'violated') this.violation(o);
      if (v === 'unread') unread++;
    }
    if (unread > 0 && this.found.violations.length === 0) {
      return { invariant: 'fence-before-evacuate', status: 'unknown' as const, why: `${unread} evacuation(s) from hosts whose power was never read (only fault targets' BMCs are polled)` };
    }
    return this.found.verdict(this.header, 'fence-before-evacuate needs Nova observations (evacuations); this history has none');
  }
}

/** `opt-in-respected`: an instance the scenario's filter excludes (the header says which) is never evacuated. */
class OptInRespected implements InvariantChecker {
  private readonly found = new Findings('opt-in-respected', 'safety');
  private readonly excluded: ReadonlySet<string>;

  constructor(private readonly header: HeaderObservation) {
    this.excluded = eligibilityOf(header).excluded;
  }

  step(o: Observation) {
    if (o.kind === 'nova-server') this.found.heard = true;
    if (o.kind !== 'evacuation') return undefined;
    this.found.heard = true;
    if (!this.excluded.has(o.instance)) return undefined;
    return this.found.add(o.instance, o.t, [o.instance],
      `${o.instance} was evacuated although the policy's filter (${this.header.filter}) excludes it`);
  }

  finish() {
    return this.found.verdict(this.header, 'opt-in-respected needs Nova observations (evacuations); this history has none');
  }
}

export const FENCE_BEFORE_EVACUATE: CheckerEntry = {
  name: 'fence-before-evacuate', kind: 'safety', reads: ['evacuation'], liveReads: ['fence', 'power', 'domain', 'nova-server'],
  create: (h) => new FenceBeforeEvacuate(h),
};
export const OPT_IN_RESPECTED: CheckerEntry = {
  name: 'opt-in-respected', kind: 'safety', reads: ['evacuation'], liveReads: ['nova-server'], create: (h) => new OptInRespected(h),
};
