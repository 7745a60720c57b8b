import { sleep, type Op } from '../kernel/process.js';
import type { ComputeHost } from '../infra/compute-host.js';
import type { World } from '../world.js';
import { fenceComputeOff, fenceComputeOn, fixedWaitFenceNova } from './fence-compute.js';
import { fenceEvacuate } from './fence-evacuate.js';
import type { RecoveryPolicy } from './policy.js';
import type { Ports } from './ports.js';
import { simPorts } from './sim-ports.js';

/** nova-compute-wait polls attrd this often while the node's evacuation is pending. */
const UNFENCE_POLL_MS = 5_000;
/** fence_compute -o on retries a refused force-up after this long. */
const FORCE_UP_RETRY_MS = 10_000;

/**
 * Pacemaker instance HA (DOMAIN.md §4): fence the failed compute with [power device + fence-nova] in one level,
 * NovaEvacuate evacuates nodes flagged `evacuate=yes`, and the rebooted node's nova-compute is held back until
 * its evacuations are finished (unfencing).
 */
export class InstanceHaPolicy implements RecoveryPolicy {
  readonly name: string = 'instanceha';

  constructor(protected readonly world: World) {}

  clusterStarted(dc: string): void {
    const copies = this.world.defects.has('overlapping-recovery-passes') ? 2 : 1;
    for (let i = 0; i < copies; i++) this.world.processes.spawn('nova-evacuate', dc, this.novaEvacuate(simPorts(this.world, dc)));
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

  fenceSecondDevice(ports: Ports, host: string): Op<boolean> {
    if (this.world.defects.has('fixed-wait-no-force-down')) return fixedWaitFenceNova(ports, host);
    const { forceDown } = this.world.spec.recovery;
    return fenceComputeOff(ports, host, { forceDown, timeoutMs: this.world.config.pacemaker.stonithTimeoutMs });
  }

  hostBooted(host: ComputeHost): void {
    const dc = this.world.pacemaker.view.actingDcs[0] ?? null;
    this.world.processes.spawn(`unfence:${host.name}`, dc, this.unfence(simPorts(this.world, dc), host));
  }

  /** The NovaEvacuate resource agent: its monitor runs every interval while work is pending, idles otherwise. */
  *novaEvacuate(ports: Ports): Op<void> {
    const interval = this.world.config.pacemaker.novaEvacuateIntervalMs;
    for (;;) {
      const due = this.dueNodes(ports.now());
      if (due.length === 0) {
        const expiry = this.nextMarkerExpiry();
        if (expiry === null) yield* ports.attrd.changed();
        else yield* sleep(Math.max(1, expiry - ports.now()));
        yield* sleep(interval - (ports.now() % interval));
        continue;
      }
      for (const node of due) yield* this.evacuateNode(ports, node);
      yield* sleep(interval);
    }
  }

  /** `yes`, or an in-progress marker older than the retry time (a pass that died). */
  private dueNodes(now: number): string[] {
    const retry = this.world.config.pacemaker.evacuateRetryMs;
    const ignoreMarkers = this.world.defects.has('overlapping-recovery-passes');
    return this.world.pacemaker.attrd
      .entries('evacuate')
      .filter(([, v]) => v === 'yes' || (v.includes('@') && (ignoreMarkers || now - Number(v.split('@')[1]) > retry)))
      .map(([node]) => node)
      .sort();
  }

  /** When the oldest in-progress marker (`node@time`, left by a pass that died) becomes due again. */
  private nextMarkerExpiry(): number | null {
    let next: number | null = null;
    for (const [, v] of this.world.pacemaker.attrd.entries('evacuate')) {
      if (!v.includes('@')) continue;
      const due = Number(v.split('@')[1]) + this.world.config.pacemaker.evacuateRetryMs + 1;
      if (next === null || due < next) next = due;
    }
    return next;
  }

  private *evacuateNode(ports: Ports, node: string): Op<void> {
    yield* ports.attrd.set(node, 'evacuate', `${node}@${ports.now()}`);
    const recovery = this.world.defects.has('instance-filter-ignored') ? { ...this.world.spec.recovery, instanceFilter: { kind: 'all' as const } } : this.world.spec.recovery;
    const ok = yield* fenceEvacuate(ports, node, recovery, this.world.defects.has('forced-evacuation-target'));
    // cubecos #1274: a deployment that gives up when Nova refuses, instead of retrying.
    const giveUp = this.world.defects.has('fixed-wait-no-force-down');
    yield* ports.attrd.set(node, 'evacuate', ok || giveUp ? 'no' : 'yes');
  }

  /** nova-compute-wait + fence_compute -o on: wait for `evacuate=no` plus the delay, start nova-compute, unfence. */
  *unfence(ports: Ports, host: ComputeHost): Op<void> {
    // nova-compute-wait and nova-compute are cluster resources on the node: they start only once the cluster has
    // the node back (remote connection up from a DC). A node that booted behind a partition stays held.
    while (!this.world.pacemaker.managesNode(host)) yield* sleep(UNFENCE_POLL_MS);
    const early = this.world.defects.has('unfence-before-evacuations-finish');
    let value = yield* ports.attrd.get(host.name, 'evacuate');
    while (!early && value !== '' && value !== 'no') {
      yield* sleep(UNFENCE_POLL_MS);
      value = yield* ports.attrd.get(host.name, 'evacuate');
    }
    if (value === 'no' && !early) yield* sleep(this.world.config.pacemaker.unfenceDelayMs);
    this.world.releaseNovaCompute(host);
    const svc = this.world.nova.computeServices.get(host.name)!;
    if (svc.forcedDown || svc.status === 'disabled') yield* fenceComputeOn(ports, host.name, FORCE_UP_RETRY_MS);
    this.world.incidents.close(host.name, ports.now());
  }
}
