import { sleep, type Op } from '../kernel/process.js';
import type { ComputeHost } from '../infra/compute-host.js';
import type { World } from '../world.js';
import { fenceComputeOff, fenceComputeOn, fixedWaitFenceNova } from './fence-compute.js';
import { fenceEvacuate, fenceEvacuateStatus } from './fence-evacuate.js';
import type { RecoveryPolicy } from './policy.js';
import type { Ports } from './ports.js';
import { simPorts } from '../adapters/sim-ports.js';

/** nova-compute-wait polls attrd this often while the node's evacuation is pending. */
const UNFENCE_POLL_MS = 5_000;
/** How often the model looks whether a started nova-compute has reported ready (systemd `Type=notify`). */
const READY_POLL_MS = 1_000;
/** How often a process frozen with its hung node looks whether the node resumed. */
const HUNG_POLL_MS = 1_000;
/** NovaEvacuate writes its in-progress marker as `<controller>@<epoch seconds>` (`date +%s`). */
const S = 1_000;

/**
 * Pacemaker instance HA (README "Model notes"): fence the failed compute with [power device + fence-nova] in one level,
 * NovaEvacuate evacuates nodes flagged `evacuate=yes`, and the rebooted node's nova-compute is held back until
 * its evacuations are finished (unfencing).
 */
export class InstanceHaPolicy implements RecoveryPolicy {
  readonly name: string = 'instanceha';

  constructor(protected readonly world: World) {}

  clusterStarted(dc: string): void {
    // Defect `overlapping-recovery-passes`: a second copy, whose monitor runs half an interval after the first's (two
    // resources' recurring monitors keep the phase of their own start).
    const copies = this.world.hasDefect('overlapping-recovery-passes') ? 2 : 1;
    const interval = this.world.config.pacemaker.novaEvacuateIntervalMs;
    for (let i = 0; i < copies; i++) this.world.processes.spawn('nova-evacuate', dc, this.novaEvacuate(simPorts(this.world, dc), dc, (i * interval) / 2));
    // Unfencing of nodes that booted while another DC (now gone) was in charge starts again here.
    for (const host of this.world.hostList) {
      if (this.needsUnfencing(host) && this.world.processes.running(`unfence:${host.name}`).length === 0) this.hostBooted(host);
    }
  }

  /** Booted, and either held back or still forced down / disabled by fence_compute. */
  private needsUnfencing(host: ComputeHost): boolean {
    if (host.novaCompute === 'held') return true;
    if (!host.alive) return false;
    const svc = this.world.nova.computeServices.get(host.name)!;
    return svc.forcedDown || (svc.status === 'disabled' && (svc.disabledReason ?? '').startsWith('fence_compute'));
  }

  nodeFailed(host: ComputeHost, dc: string): void {
    this.world.pacemaker.fence(host, dc);
  }

  fenceSecondDevice(ports: Ports, host: string, deadlineMs: number): Op<boolean> {
    if (this.world.hasDefect('fixed-wait-no-force-down')) return fixedWaitFenceNova(ports, host);
    const { forceDown } = this.world.spec.recovery;
    return fenceComputeOff(ports, host, { forceDown, agent: this.world.config.fencing.computeAgent, deadlineMs });
  }

  /** With TripleO's order fence-nova has `provides=unfencing`, which fenced skips in the on phase (`op_phase_on`). */
  secondDeviceRunsOn(): boolean {
    return this.unfenceOrder() === 'after-start';
  }

  /**
   * `config.unfence.order`; defect `tripleo-unfence-order` sets TripleO's `before-start` (LP#1922053): the correct
   * agents, in the order that makes Nova >= xena refuse the one force-up fence_compute tries.
   */
  private unfenceOrder(): 'after-start' | 'before-start' {
    return this.world.hasDefect('tripleo-unfence-order') ? 'before-start' : this.world.config.unfence.order;
  }

  unfenceSecondDevice(ports: Ports, host: string, deadlineMs: number): Op<boolean> {
    return fenceComputeOn(ports, host, this.world.config.fencing.computeAgent, deadlineMs);
  }

  hostBooted(host: ComputeHost): void {
    const dc = this.world.pacemaker.view.actingDcs[0] ?? null;
    this.world.processes.spawn(`unfence:${host.name}`, dc, this.unfence(simPorts(this.world, dc), host));
  }

  /** The NovaEvacuate resource agent: its monitor runs every interval while work is pending, idles otherwise. */
  *novaEvacuate(ports: Ports, controller: string, phaseMs = 0): Op<void> {
    const interval = this.world.config.pacemaker.novaEvacuateIntervalMs;
    for (;;) {
      const due = this.dueNodes(ports.now());
      if (due.length === 0) {
        const expiry = this.nextMarkerExpiry();
        if (expiry === null) yield* ports.attrd.changed();
        else yield* sleep(Math.max(1, expiry - ports.now()));
        yield* sleep(interval - ((ports.now() - phaseMs) % interval + interval) % interval);
        continue;
      }
      for (const node of due) yield* this.evacuateNode(ports, node, controller);
      yield* sleep(interval);
    }
  }

  /**
   * ocf/NovaEvacuate `handle_evacuations`: `yes`, or an in-progress marker `<controller>@<epoch>` whose age in
   * whole seconds is greater than 60 (a pass that died, or still running on another controller).
   */
  private dueNodes(now: number): string[] {
    const ignoreMarkers = this.world.hasDefect('overlapping-recovery-passes');
    return this.world.pacemaker.attrd
      .entries('evacuate')
      .filter(([, v]) => v === 'yes' || (v.includes('@') && (ignoreMarkers || this.markerExpired(v, now))))
      .map(([node]) => node)
      .sort();
  }

  private markerExpired(marker: string, now: number): boolean {
    return Math.floor(now / S) - markerEpoch(marker) > this.world.config.pacemaker.evacuateRetryMs / S;
  }

  /** When the oldest in-progress marker becomes due again. */
  private nextMarkerExpiry(): number | null {
    let next: number | null = null;
    for (const [, v] of this.world.pacemaker.attrd.entries('evacuate')) {
      if (!v.includes('@')) continue;
      const due = (markerEpoch(v) + this.world.config.pacemaker.evacuateRetryMs / S + 1) * S;
      if (next === null || due < next) next = due;
    }
    return next;
  }

  /**
   * One node of `handle_evacuations`: `fence_evacuate -o status` exiting 1 (Nova down or unaware of the node, or a
   * service neither on nor off) skips the node, untouched; otherwise mark it in progress, run `fence_evacuate -o
   * off`, and set `no` on success or `yes` on failure — which the next monitor (~10 s later) processes again.
   */
  private *evacuateNode(ports: Ports, node: string, controller: string): Op<void> {
    // Defect `fixed-wait-no-force-down` models a deployment's own evacuation step (cubecos #1274), which has no
    // status pre-check: without it, NovaEvacuate's check would skip the still-up node until Nova saw it down.
    const ownScript = this.world.hasDefect('fixed-wait-no-force-down');
    if (!ownScript && (yield* fenceEvacuateStatus(ports, node)) === 1) {
      ports.log('nova-evacuate.status-skip', node);
      return;
    }
    yield* ports.attrd.set(node, 'evacuate', `${controller}@${Math.floor(ports.now() / S)}`);
    const recovery = this.world.hasDefect('instance-filter-ignored') ? { ...this.world.spec.recovery, instanceFilter: { kind: 'all' as const } } : this.world.spec.recovery;
    const ok = yield* fenceEvacuate(ports, node, recovery, this.world.hasDefect('forced-evacuation-target'));
    // cubecos #1274: a deployment that gives up when Nova refuses, instead of retrying.
    const giveUp = this.world.hasDefect('fixed-wait-no-force-down');
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
  *unfence(ports: Ports, host: ComputeHost): Op<void> {
    // ocf/nova-compute-wait `nova_start` runs ON the node (a resource of its pacemaker_remote): its 120 s
    // evacuation_delay sleep dies with the node, and the node's next boot starts its own wait (World `servicesUp`
    // → hostBooted). Without this guard the sleep outlived a second fence and started nova-compute, then forced up
    // and enabled, a node fenced again, before its new evacuations were over. In TripleO's order the unfencing is
    // a fencer `on` that Pacemaker schedules because compute-unfence-trigger (requires=unfencing) is to start on
    // this node; the model ties it to the boot as well (a stale one in fenced ends at stonith-timeout).
    const boot = host.bootCount;
    const done = yield* untilBootEnds(host, boot, this.unfenceThisBoot(ports, host));
    if (done) this.world.incidents.close(host.name, ports.now());
  }

  /** The unfencing steps of one boot; true when they all ran. */
  private *unfenceThisBoot(ports: Ports, host: ComputeHost): Op<boolean> {
    // nova-compute-wait and nova-compute are cluster resources on the node: they start only once the cluster has
    // the node back (remote connection up from a DC). A node that booted behind a partition stays held.
    // Defect `unfence-before-evacuations-finish` is a deployment without nova-compute-wait (osp-ha-deploy #13):
    // nova-compute is a plain systemd unit, started at boot whatever the cluster knows of the node.
    const early = this.world.hasDefect('unfence-before-evacuations-finish');
    while (!early && !this.world.pacemaker.managesNode(host)) yield* sleep(UNFENCE_POLL_MS);
    const agent = this.world.config.fencing.computeAgent;
    if (this.unfenceOrder() === 'before-start') {
      yield* fenceComputeOn(ports, host.name, agent);
      this.world.releaseNovaCompute(host);
      return true;
    }
    yield* this.novaComputeWait(ports, host);
    this.world.releaseNovaCompute(host);
    if (!(yield* this.novaComputeReady(host))) return false;
    yield* fenceComputeOn(ports, host.name, agent);
    return true;
  }

  /** ocf/nova-compute-wait `nova_start`: wait for the node's evacuation to be over, then `evacuation_delay`. */
  private *novaComputeWait(ports: Ports, host: ComputeHost): Op<void> {
    const early = this.world.hasDefect('unfence-before-evacuations-finish');
    let value = yield* ports.attrd.get(host.name, 'evacuate');
    while (!early && value !== '' && value !== 'no') {
      yield* sleep(UNFENCE_POLL_MS);
      value = yield* ports.attrd.get(host.name, 'evacuate');
    }
    if (value === 'no' && !early) yield* sleep(this.world.config.pacemaker.unfenceDelayMs);
  }

  /** Waits until nova-compute has reported ready (`ExecStartPost` runs then); false if this boot of the host ended. */
  private *novaComputeReady(host: ComputeHost): Op<boolean> {
    const boot = host.bootCount;
    while (host.novaCompute !== 'running') {
      if (!host.alive || host.bootCount !== boot) return false;
      yield* sleep(host.novaCompute === 'starting' ? READY_POLL_MS : UNFENCE_POLL_MS);
    }
    return true;
  }
}

/** The boot `boot` of `host` is over: it was powered off, reset or panicked (a hang pauses it, it does not end it). */
function bootEnded(host: ComputeHost, boot: number): boolean {
  return host.bootCount !== boot || (host.state !== 'running' && host.state !== 'hung');
}

/**
 * Drives `op` while the host's boot `boot` lasts; once it ends, the op is abandoned where it stands (its process
 * ran on the node and died with it) and this returns false. Effects pass through unchanged, thrown API errors too.
 */
function* untilBootEnds(host: ComputeHost, boot: number, op: Op<boolean>): Op<boolean> {
  let step = op.next();
  for (;;) {
    if (step.done) return step.value && !bootEnded(host, boot);
    let input: unknown;
    let error: { err: unknown } | null = null;
    try {
      input = yield step.value;
    } catch (err) {
      error = { err };
    }
    // A hung node's processes are frozen: they go on when it resumes, unless it is powered off or reset first.
    while (host.state === 'hung' && host.bootCount === boot) yield* sleep(HUNG_POLL_MS);
    if (bootEnded(host, boot)) {
      op.return(false);
      return false;
    }
    step = error ? op.throw(error.err) : op.next(input);
  }
}

function markerEpoch(marker: string): number {
  return Number(marker.split('@')[1]);
}
