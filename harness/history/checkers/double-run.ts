import { formatMs } from '../../../reports/format-duration.js';
import { Findings, type CheckerEntry, type InvariantChecker } from '../checker.js';
import type { DomainObservation, HeaderObservation, HeartbeatObservation, Observation } from '../observation.js';

/** A boot of an instance last heard at `t`, on `host`. */
interface Boot { t: number; host: string | undefined }

/**
 * `no-double-run`. From the truth: an `executing` observation with two hosts. From a live cloud: two boot ids of
 * one instance heard within the heartbeat window (default two heartbeat intervals: a guest that stopped beating
 * longer ago is taken for dead), or `virsh list` showing its domain started on two hosts at once.
 */
class NoDoubleRun implements InvariantChecker {
  private readonly found = new Findings('no-double-run', 'safety');
  private readonly boots = new Map<string, Map<string, Boot>>();
  private readonly domains = new Map<string, Set<string>>();
  private readonly windowMs: number;

  constructor(private readonly header: HeaderObservation) {
    const hb = header.heartbeat;
    this.windowMs = hb ? (hb.windowMs ?? 2 * hb.intervalMs) : 0;
  }

  step(o: Observation) {
    if (o.kind === 'executing') {
      this.found.heard = true;
      if (o.hosts.length < 2) return undefined;
      return this.found.add(o.instance, o.t, [o.instance, ...o.hosts], `${o.instance} executes on ${o.hosts.join(' and ')} at once (t=${formatMs(o.t)})`);
    }
    if (o.kind === 'heartbeat') return this.heartbeat(o);
    if (o.kind === 'domain' && o.source !== 'truth') return this.domain(o);
    if (o.kind === 'power' && o.state === 'off') for (const hosts of this.domains.values()) hosts.delete(o.host);
    return undefined;
  }

  private heartbeat(o: HeartbeatObservation) {
    this.found.heard = true;
    let boots = this.boots.get(o.instance);
    if (!boots) this.boots.set(o.instance, (boots = new Map()));
    boots.set(o.bootId, { t: o.t, host: o.host });
    for (const [id, b] of boots) {
      if (id === o.bootId) continue;
      if (o.t - b.t > this.windowMs) { boots.delete(id); continue; }
      const hosts = [b.host ?? '?', o.host ?? '?'];
      return this.found.add(o.instance, o.t, [o.instance, ...hosts],
        `${o.instance} ran two boots at once: ${id} on ${hosts[0]} heard at t=${formatMs(b.t)}, ${o.bootId} on ${hosts[1]} at t=${formatMs(o.t)} (window ${formatMs(this.windowMs)})`);
    }
    return undefined;
  }

  private domain(o: DomainObservation) {
    this.found.heard = true;
    let hosts = this.domains.get(o.instance);
    if (!hosts) this.domains.set(o.instance, (hosts = new Set()));
    if (o.phase === 'stopped') { hosts.delete(o.host); return undefined; }
    hosts.add(o.host);
    if (hosts.size < 2) return undefined;
    const list = [...hosts];
    return this.found.add(o.instance, o.t, [o.instance, ...list], `${o.instance} has domains running on ${list.join(' and ')} at once (${o.source}, t=${formatMs(o.t)})`);
  }

  finish() {
    return this.found.verdict(this.header, 'no-double-run needs the truth, canary heartbeats (instance + boot id) or virsh observations; this history has none');
  }
}

/** `no-split-writes`: at most one writer per disk. Only the truth knows who writes; a live history cannot tell. */
class NoSplitWrites implements InvariantChecker {
  private readonly found = new Findings('no-split-writes', 'safety');
  constructor(private readonly header: HeaderObservation) {}

  step(o: Observation) {
    if (o.kind !== 'writers') return undefined;
    this.found.heard = true;
    if (o.hosts.length < 2) return undefined;
    return this.found.add(o.instance, o.t, [o.instance, ...o.hosts], `${o.storage} disk of ${o.instance} has ${o.hosts.length} writers: ${o.hosts.join(', ')}`);
  }

  finish() {
    return this.found.verdict(this.header, 'no-split-writes needs storage observations (who writes each disk); this history has none');
  }
}

export const NO_DOUBLE_RUN: CheckerEntry = {
  name: 'no-double-run', kind: 'safety', reads: ['executing'], liveReads: ['heartbeat', 'domain', 'power'], create: (h) => new NoDoubleRun(h),
};
export const NO_SPLIT_WRITES: CheckerEntry = {
  name: 'no-split-writes', kind: 'safety', reads: ['writers'], create: (h) => new NoSplitWrites(h),
};
