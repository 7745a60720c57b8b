import { formatMs } from '../../../reports/format-duration.js';
import { Findings, type CheckerEntry, type InvariantChecker } from '../checker.js';
import type { ControllerStanding, HeaderObservation, Observation, RecoveryActionObservation } from '../observation.js';

/** `capacity-respected`: no claim leaves a host over its allocation ratios (the truth of its usage says so). */
class CapacityRespected implements InvariantChecker {
  private readonly found = new Findings('capacity-respected', 'safety');
  constructor(private readonly header: HeaderObservation) {}

  step(o: Observation) {
    if (o.kind !== 'claim') return undefined;
    this.found.heard = true;
    if (!o.overcommitted) return undefined;
    return this.found.add(o.host, o.t, [o.host, o.instance], `${o.host} exceeds its allocation ratios after placing ${o.instance}`);
  }

  finish() {
    return this.found.verdict(this.header, 'capacity-respected needs claim observations (a host\'s usage against its ratios); this history has none');
  }
}

/**
 * `quorum-respected`, on the true membership, not on Pacemaker's agreed view, which lags. A controller that is down
 * must not act at all. One in a minority may finish what it cannot yet know is stale for as long as corosync takes
 * to notice (the header's membershipLagMs); a decision taken later is a violation.
 */
class QuorumRespected implements InvariantChecker {
  private readonly found = new Findings('quorum-respected', 'safety');
  private readonly standing = new Map<string, ControllerStanding>();
  private readonly minoritySince = new Map<string, number>();

  constructor(private readonly header: HeaderObservation) {}

  step(o: Observation) {
    if (o.kind === 'membership') {
      this.found.heard = true;
      this.standing.set(o.controller, o.standing);
      if (o.standing !== 'minority') this.minoritySince.delete(o.controller);
      else if (!this.minoritySince.has(o.controller)) this.minoritySince.set(o.controller, o.t);
      return undefined;
    }
    return o.kind === 'recovery-action' ? this.action(o) : undefined;
  }

  private action(o: RecoveryActionObservation) {
    const c = o.controller;
    if (c === null) return undefined;
    const standing = o.standing ?? this.standing.get(c);
    if (standing === undefined || standing === 'quorate') return undefined;
    this.found.heard = true;
    const since = this.minoritySince.get(c) ?? o.t;
    if (standing === 'minority' && o.t - since <= (this.header.membershipLagMs ?? 0)) return undefined;
    return this.found.add(`${c}:${o.action}:${o.target}`, o.t, [c, o.target],
      standing === 'down'
        ? `${c} initiated ${o.action} of ${o.target} after it had failed`
        : `${c} initiated ${o.action} of ${o.target} ${formatMs(o.t - since)} after its partition lost quorum`);
  }

  finish() {
    return this.found.verdict(this.header, 'quorum-respected needs the controllers\' true membership; a live history has none');
  }
}

export const CAPACITY_RESPECTED: CheckerEntry = {
  name: 'capacity-respected', kind: 'safety', reads: ['claim'], create: (h) => new CapacityRespected(h),
};
export const QUORUM_RESPECTED: CheckerEntry = {
  name: 'quorum-respected', kind: 'safety', reads: ['membership', 'recovery-action'], create: (h) => new QuorumRespected(h),
};
