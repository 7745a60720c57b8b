import { sleep, type Op } from '../../../kernel/process.js';
import type { RecoverySpec } from '../../../scenario-spec.js';
import type { RecoveryDesign, SecondFenceDevice } from '../../design.js';
import type { DesignPorts } from '../../design-ports.js';
import type { Ports } from '../../ports.js';
import { agentPorts } from './agent-ports.js';
import { fenceComputeOff, fenceComputeOn, fixedWaitFenceNova, type ComputeAgent } from './fence-compute.js';
import { fenceEvacuate, fenceEvacuateStatus } from './fence-evacuate.js';
import { untilBootEnds } from './boot-scope.js';

/** nova-compute-wait polls attrd this often while the node's evacuation is pending. */
const UNFENCE_POLL_MS = 5_000;
/** How often the model looks whether a started nova-compute has reported ready (systemd `Type=notify`). */
const READY_POLL_MS = 1_000;
/** NovaEvacuate writes its in-progress marker as `<controller>@<epoch seconds>` (`date +%s`). */
const S = 1_000;

/** The design's resolved config: the common `recovery:` keys and the cluster's and agents' settings (`config:`). */
export interface InstanceHaConfig {
  recovery: RecoverySpec;
  /** NovaEvacuate's monitor interval. */
  novaEvacuateIntervalMs: number;
  /** NovaEvacuate processes an in-progress marker again once it is older than this (the agent's 60 s). */
  evacuateRetryMs: number;
  /** nova-compute-wait's `evacuation_delay` after `evacuate=no`. */
  unfenceDelayMs: number;
  computeAgent: ComputeAgent;
  unfenceOrder: 'after-start' | 'before-start';
}

/**
 * Pacemaker instance HA (README "Model notes"): fence the failed compute with [power device + fence-nova] in one
 * level, NovaEvacuate evacuates nodes flagged `evacuate=yes`, and the rebooted node's nova-compute is held back
 * until its evacuations are finished (unfencing).
 */
export class InstanceHaDesign implements RecoveryDesign {
  private readonly agent: Ports;
  readonly secondFenceDevice: SecondFenceDevice;

  constructor(private readonly ports: DesignPorts, private readonly config: InstanceHaConfig) {
    this.agent = agentPorts(ports);
    this.secondFenceDevice = {
      off: (host, deadlineMs) => this.fenceNovaOff(host, deadlineMs),
      // With TripleO's order fence-nova has `provides=unfencing`, which fenced skips in the on phase (`op_phase_on`).
      runsOn: () => this.unfenceOrder() === 'after-start',
      on: (host, deadlineMs) => fenceComputeOn(this.agent, host, this.config.computeAgent, deadlineMs),
    };
  }

  start(): void {}

  clusterStarted(dc: string): void {
    // Defect `overlapping-recovery-passes`: a second copy, whose monitor runs half an interval after the first's (two
    // resources' recurring monitors keep the phase of their own start).
    const copies = this.ports.hasDefect('overlapping-recovery-passes') ? 2 : 1;
    const interval = this.config.novaEvacuateIntervalMs;
    for (let i = 0; i < copies; i++) this.ports.spawn('nova-evacuate', { controller: dc }, this.novaEvacuate(dc, (i * interval) / 2));
    // Unfencing of nodes that booted while another DC (now gone) was in charge starts again here.
    for (const host of this.ports.lifecycle.hosts()) {
      if (this.needsUnfencing(host) && this.ports.running(`unfence:${host}`) === 0) this.hostBooted(host);
    }
  }

  /** Booted, and either held back or still forced down / disabled by fence_compute. */
  private needsUnfencing(host: string): boolean {
    const { lifecycle } = this.ports;
    if (lifecycle.novaComputeHeld(host)) return true;
    if (!lifecycle.node(host).alive) return false;
    const svc = lifecycle.serviceNow(host)!;
    return svc.forcedDown || (svc.status === 'disabled' && (svc.disabledReason ?? '').startsWith('fence_compute'));
  }

  /** Pacemaker itself fences the node (capabilities.pacemakerFencing); NovaEvacuate acts once fence-nova flagged it. */
  nodeFailed(): void {}

  private fenceNovaOff(host: string, deadlineMs: number): Op<boolean> {
    if (this.ports.hasDefect('fixed-wait-no-force-down')) return fixedWaitFenceNova(this.agent, host);
    const { forceDown } = this.config.recovery;
    return fenceComputeOff(this.agent, host, { forceDown, agent: this.config.computeAgent, deadlineMs });
  }

  /**
   * `config.unfence.order`; defect `tripleo-unfence-order` sets TripleO's `before-start` (LP#1922053): the correct
   * agents, in the order that makes Nova >= xena refuse the one force-up fence_compute tries.
   */
  private unfenceOrder(): 'after-start' | 'before-start' {
    return this.ports.hasDefect('tripleo-unfence-order') ? 'before-start' : this.config.unfenceOrder;
  }

  hostBooted(host: string): void {
    const dc = this.ports.cluster!.actingDcs()[0];
    this.ports.spawn(`unfence:${host}`, dc === undefined ? 'external' : { controller: dc }, this.unfence(host));
  }

  /** The NovaEvacuate resource agent: its monitor runs every interval while work is pending, idles otherwise. */
  private *novaEvacuate(controller: string, phaseMs = 0): Op<void> {
    const ports = this.agent;
    const interval = this.config.novaEvacuateIntervalMs;
    for (;;) {
      const due = yield* this.dueNodes(ports.now());
      if (due.length === 0) {
        const expiry = yield* this.nextMarkerExpiry();
        if (expiry === null) yield* ports.attrd.changed();
        else yield* sleep(Math.max(1, expiry - ports.now()));
        yield* sleep(interval - ((ports.now() - phaseMs) % interval + interval) % interval);
        continue;
      }
      for (const node of due) yield* this.evacuateNode(node, controller);
      yield* sleep(interval);
    }
  }

  /**
   * ocf/NovaEvacuate `handle_evacuations`: `yes`, or an in-progress marker `<controller>@<epoch>` whose age in
   * whole seconds is greater than 60 (a pass that died, or still running on another controller).
   */
  private *dueNodes(now: number): Op<string[]> {
    const ignoreMarkers = this.ports.hasDefect('overlapping-recovery-passes');
    return (yield* this.agent.attrd.entries('evacuate'))
      .filter(([, v]) => v === 'yes' || (v.includes('@') && (ignoreMarkers || this.markerExpired(v, now))))
      .map(([node]) => node)
      .sort();
  }

  private markerExpired(marker: string, now: number): boolean {
    return Math.floor(now / S) - markerEpoch(marker) > this.config.evacuateRetryMs / S;
  }

  /** When the oldest in-progress marker becomes due again. */
  private *nextMarkerExpiry(): Op<number | null> {
    let next: number | null = null;
    for (const [, v] of yield* this.agent.attrd.entries('evacuate')) {
      if (!v.includes('@')) continue;
      const due = (markerEpoch(v) + this.config.evacuateRetryMs / S + 1) * S;
      if (next === null || due < next) next = due;
    }
    return next;
  }

  /**
   * One node of `handle_evacuations`: `fence_evacuate -o status` exiting 1 (Nova down or unaware of the node, or a
   * service neither on nor off) skips the node, untouched; otherwise mark it in progress, run `fence_evacuate -o
   * off`, and set `no` on success or `yes` on failure — which the next monitor (~10 s later) processes again.
   */
  private *evacuateNode(node: string, controller: string): Op<void> {
    const ports = this.agent;
    // Defect `fixed-wait-no-force-down` models a deployment's own evacuation step (cubecos #1274), which has no
    // status pre-check: without it, NovaEvacuate's check would skip the still-up node until Nova saw it down.
    const ownScript = this.ports.hasDefect('fixed-wait-no-force-down');
    if (!ownScript && (yield* fenceEvacuateStatus(ports, node)) === 1) {
      ports.log('nova-evacuate.status-skip', node);
      return;
    }
    yield* ports.attrd.set(node, 'evacuate', `${controller}@${Math.floor(ports.now() / S)}`);
    const recovery = this.ports.hasDefect('instance-filter-ignored') ? { ...this.config.recovery, instanceFilter: { kind: 'all' as const } } : this.config.recovery;
    const ok = yield* fenceEvacuate(ports, node, recovery, this.ports.hasDefect('forced-evacuation-target'));
    // cubecos #1274: a deployment that gives up when Nova refuses, instead of retrying.
    const giveUp = this.ports.hasDefect('fixed-wait-no-force-down');
    yield* ports.attrd.set(node, 'evacuate', ok || giveUp ? 'no' : 'yes');
  }

  /**
   * Unfencing a returning node, in one of two orders (`config.unfence.order`):
   * - `after-start`: ocf/nova-compute-wait holds nova-compute until `evacuate` is unset (start now) or `no` (then
   *   `evacuation_delay`, 120 s), polling every 5 s; its `ExecStartPost=fence_compute -o on` runs once
   *   nova-compute has started (the unit is `Type=notify`: after `init_host`, so after its cleanup of what was
   *   evacuated);
   * - `before-start` (TripleO): fence_compute `-o on` first (it waits for `evacuate` ∈ {no, ''} itself), then
   *   nova-compute. A force-up Nova refuses (evacuations still `done`, not yet cleaned up by the nova-compute that
   *   has not started) is not retried: the host stays forced down (LP#1922053).
   */
  private *unfence(host: string): Op<void> {
    // ocf/nova-compute-wait `nova_start` runs ON the node (a resource of its pacemaker_remote): its 120 s
    // evacuation_delay sleep dies with the node, and the node's next boot starts its own wait (World `servicesUp`
    // → hostBooted). Without this guard the sleep outlived a second fence and started nova-compute, then forced up
    // and enabled, a node fenced again, before its new evacuations were over. In TripleO's order the unfencing is
    // a fencer `on` that Pacemaker schedules because compute-unfence-trigger (requires=unfencing) is to start on
    // this node; the model ties it to the boot as well (a stale one in fenced ends at stonith-timeout).
    const node = () => this.ports.lifecycle.node(host);
    const done = yield* untilBootEnds(node, node().bootCount, this.unfenceThisBoot(host));
    if (done) this.ports.lifecycle.recovered(host);
  }

  /** The unfencing steps of one boot; true when they all ran. */
  private *unfenceThisBoot(host: string): Op<boolean> {
    const ports = this.agent;
    // nova-compute-wait and nova-compute are cluster resources on the node: they start only once the cluster has
    // the node back (remote connection up from a DC). A node that booted behind a partition stays held.
    // Defect `unfence-before-evacuations-finish` is a deployment without nova-compute-wait (osp-ha-deploy #13):
    // nova-compute is a plain systemd unit, started at boot whatever the cluster knows of the node.
    const early = this.ports.hasDefect('unfence-before-evacuations-finish');
    while (!early && !this.ports.cluster!.managesNode(host)) yield* sleep(UNFENCE_POLL_MS);
    const agent = this.config.computeAgent;
    if (this.unfenceOrder() === 'before-start') {
      yield* fenceComputeOn(ports, host, agent);
      this.ports.lifecycle.releaseNovaCompute(host);
      return true;
    }
    yield* this.novaComputeWait(host);
    this.ports.lifecycle.releaseNovaCompute(host);
    if (!(yield* this.novaComputeReady(host))) return false;
    yield* fenceComputeOn(ports, host, agent);
    return true;
  }

  /** ocf/nova-compute-wait `nova_start`: wait for the node's evacuation to be over, then `evacuation_delay`. */
  private *novaComputeWait(host: string): Op<void> {
    const ports = this.agent;
    const early = this.ports.hasDefect('unfence-before-evacuations-finish');
    let value = yield* ports.attrd.get(host, 'evacuate');
    while (!early && value !== '' && value !== 'no') {
      yield* sleep(UNFENCE_POLL_MS);
      value = yield* ports.attrd.get(host, 'evacuate');
    }
    if (value === 'no' && !early) yield* sleep(this.config.unfenceDelayMs);
  }

  /** Waits until nova-compute has reported ready (`ExecStartPost` runs then); false if this boot of the host ended. */
  private *novaComputeReady(host: string): Op<boolean> {
    const boot = this.ports.lifecycle.node(host).bootCount;
    for (;;) {
      const node = this.ports.lifecycle.node(host);
      if (node.novaCompute === 'running') return true;
      if (!node.alive || node.bootCount !== boot) return false;
      yield* sleep(node.novaCompute === 'starting' ? READY_POLL_MS : UNFENCE_POLL_MS);
    }
  }
}

function markerEpoch(marker: string): number {
  return Number(marker.split('@')[1]);
}
