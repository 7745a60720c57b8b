import { eligibilityOf, Findings, type CheckerEntry, type InvariantChecker } from '../checker.js';
import type { EvacuationObservation, HeaderObservation, Observation } from '../observation.js';

/**
 * `fence-before-evacuate`: no evacuation from host H is accepted before H is confirmed powered off, by a fence device
 * *and* truly (a device that says OK without powering off does not count), since the instance started on H. The
 * simulator states the source's truth on the evacuation itself; a live history is judged on the fence results and
 * power readings observed before it (a BMC's word is then all there is). A live history without any fence
 * observation (`ihasim inject` has no view of Pacemaker's fence history) takes the BMC's power-off reading since
 * the instance started as the confirmation: who powered the host off it cannot tell, only that it was off.
 */
class FenceBeforeEvacuate implements InvariantChecker {
  private readonly found = new Findings('fence-before-evacuate', 'safety');
  private readonly fencedAt = new Map<string, number>();
  private readonly offAt = new Map<string, number>();
  private readonly startedAt = new Map<string, number>();
  private fenceObserved = false;

  constructor(private readonly header: HeaderObservation) {}

  step(o: Observation) {
    if (o.kind === 'fence') this.fenceObserved = true;
    if (o.kind === 'fence' && o.phase === 'result' && o.ok) this.fencedAt.set(o.host, o.t);
    else if (o.kind === 'power' && o.state === 'off') this.offAt.set(o.host, o.t);
    else if (o.kind === 'domain' && o.phase === 'started') this.startedAt.set(`${o.instance}@${o.host}`, o.t);
    else if (o.kind === 'nova-server') this.found.heard = true;
    else if (o.kind === 'evacuation') return this.evacuation(o);
    return undefined;
  }

  private evacuation(o: EvacuationObservation) {
    this.found.heard = true;
    const truth = o.truth;
    const off = truth ? truth.poweredOffAtMs : this.offAt.get(o.fromHost) ?? null;
    const bmcOnly = this.header.mode === 'inject' && !this.fenceObserved;
    const fence = truth ? truth.fenceConfirmedAtMs : this.fencedAt.get(o.fromHost) ?? (bmcOnly ? off : null);
    const started = (truth ? truth.startedOnSourceAtMs : this.startedAt.get(`${o.instance}@${o.fromHost}`)) ?? 0;
    if (fence !== null && fence >= started && off !== null && off >= started) return undefined;
    return this.found.add(`${o.instance}@${o.t}`, o.t, [o.instance, o.fromHost],
      `evacuation of ${o.instance} from ${o.fromHost} accepted before ${o.fromHost} was confirmed powered off`);
  }

  finish() {
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
