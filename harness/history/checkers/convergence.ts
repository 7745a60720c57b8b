import type { Violation } from '../../../reports/report-types.js';
import type { CheckerEntry, InvariantChecker } from '../checker.js';
import type { EndObservation, HeaderObservation, Observation } from '../observation.js';
import type { Verdict } from '../verdict.js';

const NAME = 'convergence';

/**
 * `convergence`, judged at the end if the run lasted past the settle time: Nova's host for each instance is where
 * it executes (one executing domain in the truth, or the host its canary last beat from), and no healthy host is
 * left forced down or disabled by recovery (healthy: the truth says so, or, live, its BMC reads on).
 */
class Convergence implements InvariantChecker {
  private readonly novaHost = new Map<string, string | null>();
  private readonly executing = new Map<string, string[]>();
  private readonly services = new Map<string, { forcedDown: boolean; disabled: boolean; reason: string | null }>();
  private readonly healthy = new Map<string, boolean>();
  private readonly powerOn = new Map<string, boolean>();

  constructor(private readonly header: HeaderObservation) {}

  step(o: Observation) {
    if (o.kind === 'nova-server') this.novaHost.set(o.instance, o.host);
    else if (o.kind === 'executing') this.executing.set(o.instance, o.hosts);
    else if (o.kind === 'heartbeat' && o.host !== undefined) this.executing.set(o.instance, [o.host]);
    else if (o.kind === 'nova-service') this.services.set(o.host, { forcedDown: o.forcedDown, disabled: o.status === 'disabled', reason: o.disabledReason });
    else if (o.kind === 'host-health') this.healthy.set(o.host, o.healthy);
    else if (o.kind === 'power') this.powerOn.set(o.host, o.state === 'on');
    return undefined;
  }

  finish(end: EndObservation | null): Verdict {
    const settled = end !== null && end.settled && end.t >= this.header.healedAtMs + this.header.settleMs;
    if (!settled) {
      return this.header.mode === 'run' ? { invariant: NAME, status: 'pass' } : { invariant: NAME, status: 'unknown', why: 'the run ended before the faults healed and settled' };
    }
    if (this.header.mode !== 'run' && (this.novaHost.size === 0 || (this.executing.size === 0 && this.services.size === 0))) {
      return { invariant: NAME, status: 'unknown', why: "convergence needs Nova's view and where instances run (truth or canary heartbeats); this history lacks one" };
    }
    const out = [...this.instances(end.t), ...this.hosts(end.t)];
    return out.length > 0 ? { invariant: NAME, status: 'fail', violations: out } : { invariant: NAME, status: 'pass' };
  }

  private instances(now: number): Violation[] {
    const out: Violation[] = [];
    // forEach, not for-of: that allocates an entry pair per instance, for every evacuated instance of every seed.
    this.novaHost.forEach((host, name) => {
      const where = this.executing.get(name);
      if (where?.length !== 1 || where[0] === host) return;
      out.push({ invariant: NAME, kind: 'liveness', atMs: now, entities: [name, where[0]!, host ?? '-'],
        message: `Nova places ${name} on ${host} but it executes on ${where[0]}` });
    });
    return out;
  }

  private hosts(now: number): Violation[] {
    const out: Violation[] = [];
    for (const [host, svc] of this.services) {
      const healthy = this.healthy.get(host) ?? (this.healthy.size === 0 && this.powerOn.get(host) === true);
      const leftDown = svc.forcedDown || (svc.disabled && (svc.reason ?? '').startsWith('fence_compute'));
      if (!healthy || !leftDown) continue;
      out.push({ invariant: NAME, kind: 'liveness', atMs: now, entities: [host],
        message: `healthy host ${host} is left ${svc.forcedDown ? 'forced down' : 'disabled'} by recovery` });
    }
    return out;
  }
}

/** Names listed in a `servers-placed` violation; the report's `instances` list has every one. */
const NAMES_SHOWN = 5;

/**
 * `servers-placed`: every server of the scenario boots at start. One violation per run, at time 0, naming the first
 * few. Judged on the measured outcomes (`never-placed`), or, live, on servers Nova never showed ACTIVE.
 */
class ServersPlaced implements InvariantChecker {
  private readonly neverPlaced = new Set<string>();
  private readonly active = new Set<string>();
  private sawOutcomes = false;
  private sawNova = false;

  constructor(private readonly header: HeaderObservation) {}

  step(o: Observation) {
    if (o.kind === 'outcome') {
      this.sawOutcomes = true;
      if (o.outcome === 'never-placed') this.neverPlaced.add(o.instance);
    } else if (o.kind === 'nova-server') {
      this.sawNova = true;
      if (o.vmState === 'active') this.active.add(o.instance);
    }
    return undefined;
  }

  finish(): Verdict {
    const fromTruth = this.sawOutcomes || this.header.mode === 'run';
    if (!fromTruth && !this.sawNova) return { invariant: 'servers-placed', status: 'unknown', why: 'servers-placed needs Nova server views; this history has none' };
    const unplaced = fromTruth ? [...this.neverPlaced] : this.header.instances.map((i) => i.name).filter((n) => !this.active.has(n));
    if (unplaced.length === 0) return { invariant: 'servers-placed', status: 'pass' };
    const shown = unplaced.slice(0, NAMES_SHOWN).join(', ') + (unplaced.length > NAMES_SHOWN ? `, … (${unplaced.length - NAMES_SHOWN} more)` : '');
    return { invariant: 'servers-placed', status: 'fail', violations: [{
      invariant: 'servers-placed', kind: 'liveness', atMs: 0, entities: unplaced.slice(0, NAMES_SHOWN),
      message: `${unplaced.length} server(s) could not be placed at start (no valid host: not enough capacity or no host matches): ${shown}`,
    }] };
  }
}

export const CONVERGENCE: CheckerEntry = {
  name: NAME, kind: 'liveness', reads: ['nova-server', 'executing', 'nova-service', 'host-health'], liveReads: ['heartbeat', 'power'], create: (h) => new Convergence(h),
};
export const SERVERS_PLACED: CheckerEntry = {
  name: 'servers-placed', kind: 'liveness', reads: ['outcome'], liveReads: ['nova-server'], create: (h) => new ServersPlaced(h),
};
