import type { ComputeHost } from '../infra/compute-host.js';
import type { Timer } from '../kernel/event-queue.js';
import type { World } from '../world.js';
import { Attrd } from './attrd.js';
import { fenceNode } from './fencer.js';
import { computeMembership, sameView, type MembershipView } from './membership.js';

export type RemoteNodeState = 'online' | 'unclean' | 'fenced';

/** A refused connection (pacemaker_remote dead on a live host) fails the monitor at once, not at its timeout. */
const REFUSED_DETECTION_MS = 1000;

/**
 * The Pacemaker cluster: corosync membership and quorum on the controllers, a remote-node connection per
 * compute (monitored from the DC), fencing of unclean nodes through the fencing topology, and attrd.
 * Monitors cost nothing while nothing changes: a broken connection schedules one detection event, at the next
 * monitor tick of that node (plus the monitor timeout when the node does not answer at all).
 */
export class Pacemaker {
  readonly attrd: Attrd;
  view: MembershipView;
  readonly nodeState = new Map<string, RemoteNodeState>();
  private readonly detection = new Map<string, Timer>();
  /** Online nodes whose pacemaker_remote died: the connection dropped, a failure even once the daemon is back. */
  private readonly dropped = new Set<string>();
  private readonly monitorPhaseMs = new Map<string, number>();
  private pendingView: Timer | null = null;
  /** When each node's remote connection last failed: reconnection attempts follow every `reconnect_interval`. */
  private readonly connectionFailedAtMs = new Map<string, number>();
  private readonly reconnect = new Map<string, Timer>();
  /** Controllers that died since the agreed view: each comes back as a fresh member, its resources stopped. */
  private readonly restarted = new Set<string>();

  constructor(private readonly world: World) {
    this.attrd = new Attrd((node, name, value) => world.emit('attrd.set', node, { name, value }));
    this.view = computeMembership(world);
    const rng = world.rng('pacemaker');
    const interval = world.config.pacemaker.remoteMonitorIntervalMs;
    for (const h of world.hostList) {
      this.nodeState.set(h.name, 'online');
      this.monitorPhaseMs.set(h.name, rng.int(0, interval - 1));
    }
  }

  /** Is `controller` in a partition that (by the agreed membership) has quorum? */
  quorate(controller: string): boolean {
    return this.view.partitions.some((p) => p.quorate && p.members.includes(controller));
  }

  /**
   * A controller died: what it ran dies with it. Even if it is back before corosync's token expires, it rejoins
   * as a new member with nothing running, so the next agreed view starts its resources again (a DC that failed
   * and returned at once would otherwise never run NovaEvacuate or unfencing again).
   */
  controllerFailed(name: string): void {
    this.world.processes.killOwnedBy(name);
    this.restarted.add(name);
  }

  /** A controller or mgmt link changed: the new membership is agreed after token + consensus (2.2 × token). */
  membershipMayHaveChanged(): void {
    const next = computeMembership(this.world);
    this.world.kernel.cancel(this.pendingView);
    this.pendingView = null;
    if (sameView(next, this.view) && !next.actingDcs.some((dc) => this.restarted.has(dc))) return;
    const settle = Math.round(this.world.config.pacemaker.tokenTimeoutMs * 2.2);
    this.pendingView = this.world.kernel.after(settle, () => this.applyView(computeMembership(this.world)));
  }

  private applyView(next: MembershipView): void {
    this.pendingView = null;
    const before = new Set(this.view.actingDcs);
    this.view = next;
    this.world.emit('pacemaker.membership', 'cluster', { partitions: next.partitions.map((p) => `${p.members.join(',')}${p.quorate ? '' : ' (no quorum)'}`), dcs: next.actingDcs });
    for (const dc of before) if (!next.actingDcs.includes(dc)) this.world.processes.killOwnedBy(dc);
    for (const dc of next.actingDcs) if (!before.has(dc) || this.restarted.has(dc)) this.takeOver(dc);
    for (const c of this.world.controllers.values()) if (c.up) this.restarted.delete(c.name);
  }

  /** A new DC: start the design's cluster resources there and re-judge every node (unclean ones are fenced again). */
  private takeOver(dc: string): void {
    this.world.emit('pacemaker.dc', dc);
    this.world.design.clusterStarted?.(dc);
    for (const h of this.world.hostList) {
      if (this.nodeState.get(h.name) === 'unclean') this.nodeFailed(h, dc);
      else this.remoteMayHaveChanged(h);
    }
  }

  /** The remote connection to `host`: some acting DC reaches its pacemaker_remote over mgmt. */
  connected(host: ComputeHost): boolean {
    return host.alive && host.pacemakerRemote && this.reachableFromDc(host);
  }

  private reachableFromDc(host: ComputeHost): boolean {
    return this.view.actingDcs.some((dc) => this.world.nets.linked('mgmt', dc, host.name));
  }

  /** The cluster manages the node's resources: it is online (not unclean, not fenced) and its connection is up. */
  managesNode(host: ComputeHost): boolean {
    return this.nodeState.get(host.name) === 'online' && this.connected(host);
  }

  remoteMayHaveChanged(host: ComputeHost): void {
    const state = this.nodeState.get(host.name)!;
    const dropped = this.dropped.has(host.name);
    if (this.connected(host) && !dropped) {
      this.world.kernel.cancel(this.detection.get(host.name));
      this.detection.delete(host.name);
      if (state === 'fenced') this.reconnectLater(host);
      return;
    }
    if (state !== 'online' || this.detection.has(host.name) || this.view.actingDcs.length === 0) return;
    const at = dropped ? this.world.kernel.now + REFUSED_DETECTION_MS : this.detectionTime(host);
    this.detection.set(host.name, this.world.kernel.at(at, () => this.detect(host)));
  }

  /**
   * pacemaker_remote died on `host`. For a node the cluster has online the connection dropped: it is fenced even
   * if systemd restarts the daemon first. A node the cluster has offline just reconnects when the daemon is back.
   */
  remoteCrashed(host: ComputeHost): void {
    if (this.nodeState.get(host.name) === 'online' && host.alive && this.reachableFromDc(host)) {
      this.dropped.add(host.name);
      this.world.kernel.cancel(this.detection.get(host.name));
      this.detection.delete(host.name);
    }
    this.remoteMayHaveChanged(host);
  }

  /** A crashed pacemaker_remote on a live host refuses the connection at once; a dead or cut host times out. */
  private detectionTime(host: ComputeHost): number {
    const now = this.world.kernel.now;
    const refused = host.alive && !host.pacemakerRemote && this.reachableFromDc(host);
    if (refused) return now + REFUSED_DETECTION_MS;
    const p = this.world.config.pacemaker;
    const phase = this.monitorPhaseMs.get(host.name)!;
    const tick = phase + Math.ceil((now - phase) / p.remoteMonitorIntervalMs) * p.remoteMonitorIntervalMs;
    return tick + p.remoteMonitorTimeoutMs;
  }

  private detect(host: ComputeHost): void {
    this.detection.delete(host.name);
    if ((this.connected(host) && !this.dropped.has(host.name)) || this.view.actingDcs.length === 0) return;
    // While corosync re-forms its ring (a controller failed, a mgmt link changed) totem delivers no message: the
    // failure can be neither written to the CIB nor turned into a fencing request until the new membership is
    // agreed. Without this a DC already cut off, or already dead, would fence in its own name.
    if (this.pendingView) {
      this.detection.set(host.name, this.world.kernel.at(this.pendingView.at, () => this.detect(host)));
      return;
    }
    this.dropped.delete(host.name);
    this.nodeState.set(host.name, 'unclean');
    this.connectionFailedAtMs.set(host.name, this.world.kernel.now);
    const inc = this.world.incidents.of(host.name, this.world.kernel.now);
    inc.detectedAtMs ??= this.world.kernel.now;
    this.world.emit('pacemaker.node.unclean', host.name, { why: 'remote connection monitor failed' });
    for (const dc of this.view.actingDcs) if (this.world.controllers.get(dc)!.up) this.nodeFailed(host, dc);
  }

  /**
   * `dc` sees `host` unclean: it fences it when the design has Pacemaker fence computes
   * (capabilities.pacemakerFencing), and tells the design (an operator's page, a design's own reaction).
   */
  private nodeFailed(host: ComputeHost, dc: string): void {
    if (this.world.designDefinition.capabilities.pacemakerFencing !== 'none') this.fence(host, dc);
    this.world.design.nodeFailed?.(host.name, dc);
  }

  /** Fence `host` from `dc` through the fencing topology (unclean nodes, or a design through ClusterPort.fence). */
  fence(host: ComputeHost, dc: string): void {
    const name = `fence:${host.name}`;
    if (this.world.processes.running(name).some((p) => p.owner === dc)) return;
    this.world.processes.spawn(name, dc, fenceNode(this.world, host, dc));
  }

  /** The fencing level succeeded: the node is clean (offline) until it rejoins. */
  nodeFenced(host: ComputeHost): void {
    this.dropped.delete(host.name);
    this.nodeState.set(host.name, 'fenced');
    this.world.emit('pacemaker.node.fenced', host.name);
    this.remoteMayHaveChanged(host);
  }

  powerFenceConfirmed(host: ComputeHost): void {
    const inc = this.world.incidents.of(host.name, this.world.kernel.now);
    inc.fenceConfirmedAtMs ??= this.world.kernel.now;
  }

  /**
   * A fenced node whose pacemaker_remote answers again rejoins at the cluster's next reconnection attempt: with
   * `reconnect_interval` set, one every interval after the connection failed (0: at once; the failed starts and
   * their fail-count that then follow a node still booting are not modelled).
   */
  private reconnectLater(host: ComputeHost): void {
    const interval = this.world.config.pacemaker.reconnectIntervalMs;
    const now = this.world.kernel.now;
    const failedAt = this.connectionFailedAtMs.get(host.name) ?? now;
    const attempt = interval > 0 ? failedAt + Math.max(1, Math.ceil((now - failedAt) / interval)) * interval : now;
    if (attempt <= now) return this.rejoin(host);
    if (this.reconnect.has(host.name)) return;
    this.reconnect.set(host.name, this.world.kernel.at(attempt, () => {
      this.reconnect.delete(host.name);
      this.remoteMayHaveChanged(host);
    }));
  }

  private rejoin(host: ComputeHost): void {
    this.nodeState.set(host.name, 'online');
    this.world.emit('pacemaker.node.online', host.name);
  }

  hostStateChanged(host: ComputeHost): void {
    this.remoteMayHaveChanged(host);
  }
}
