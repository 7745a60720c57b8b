import { ControlPlaneFaults } from './faults/control-plane.js';
import { FaultHolds } from './faults/holds.js';
import type { SimConfig } from './config.js';
import { Bmc, type BmcAction } from './infra/bmc.js';
import type { ComputeHost } from './infra/compute-host.js';
import { Domain } from './infra/domain.js';
import type { GuestEvent, GuestState } from './infra/guest-machine.js';
import type { HostEvent, HostState } from './infra/host-machine.js';
import { Networks } from './infra/network.js';
import type { Dist } from './kernel/dist-types.js';
import { Kernel } from './kernel/kernel.js';
import { Rng } from './kernel/rng.js';
import { Trace } from './kernel/trace.js';
import { Ids } from './ids.js';
import type { Instance, InstanceMilestones } from './instance.js';
import { launchNovaCompute, noteOrphans, reportGuestStopped } from './nova/compute-agent.js';
import type { HeartbeatConfig } from './nova/compute-service.js';
import { Nova } from './nova/nova.js';
import type { Pacemaker } from './pacemaker/pacemaker.js';
import { NULL_PROBE, type Probe } from './probe.js';
import type { ProcessRunner } from './kernel/process.js';
import type { DesignDefinition, RecoveryDesign } from './recovery/design.js';
import type { ScenarioSpec } from './scenario-spec.js';
import { Controller } from './infra/controller.js';
import { Incidents } from './incidents.js';
import { InstanceIndex } from './instance-index.js';
import { ApiQueue } from './adapters/api-queue.js';
import { InstancesByName } from './instances-by-name.js';
import { isCataloguedDefect, type DefectName } from '../harness/check/defects.js';
import { IhasimError } from '../harness/errors.js';

function catalogued(name: string): string {
  if (!isCataloguedDefect(name)) throw new IhasimError('IHASIM_USAGE', `unknown defect '${name}'; list them with: ihasim check --list-defects`);
  return name;
}

export interface WorldOptions {
  seed: number;
  trace?: boolean;
  probe?: Probe;
  /** Mutations of the recovery logic or Nova's model that reproduce known bugs (`ihasim check --defect`). */
  defects?: readonly string[];
}

/** Streams of randomness, one per subsystem (forks of the run seed). */
type Stream = 'infra' | 'guest' | 'nova' | 'fencing' | 'pacemaker' | 'faults' | 'operator';

/**
 * The simulated site: the truth (hosts, domains, networks, BMCs, storage) and the control planes that hold
 * views of it (Nova, Pacemaker, the recovery design). Every change to the truth goes through here so the probe
 * (the checkers) sees it at the instant it happens.
 */
export class World {
  readonly kernel: Kernel;
  readonly trace: Trace;
  readonly config: SimConfig;
  readonly probe: Probe;
  /** Catalogued defects switched on: core ones (`hasDefect`) and designs' (their `ports.hasDefect`). */
  readonly defects: ReadonlySet<string>;
  readonly spec: ScenarioSpec;
  readonly ids: Ids;
  readonly nets = new Networks();
  readonly hosts = new Map<string, ComputeHost>();
  readonly hostList: ComputeHost[] = [];
  readonly controllers = new Map<string, Controller>();
  readonly instances = new InstanceIndex();
  readonly instancesByName: InstancesByName;
  readonly bmcs = new Map<string, Bmc>();
  readonly storage = { outage: false, cutHosts: new Set<string>() };
  readonly heartbeat: HeartbeatConfig;
  readonly incidents = new Incidents();
  /** Timed faults still holding each target (an undo restores a target only when no other fault holds it). */
  readonly faultHolds = new FaultHolds();
  /** Faults at the seams of the recovery logic: the agent's API, the message bus, conductor, scheduler, attrd. */
  readonly controlFaults = new ControlPlaneFaults();
  readonly nova: Nova;
  pacemaker!: Pacemaker;
  /** The recovery design under test, built by the registry on the simulated ports (sim/adapters). */
  design!: RecoveryDesign;
  /** Its registry entry: its name and capabilities (what the world and checkers may know of it). */
  designDefinition!: DesignDefinition;
  processes!: ProcessRunner;
  /** Notifications a `notify` policy or a `notify` watchdog sent (the recorded sink). */
  readonly notifications: { atMs: number; kind: string; entity: string; detail: string }[] = [];
  /** Calls the recovery logic made to Nova's API (the comparison's "API calls made"). */
  readonly counters = { novaApiCalls: 0 };
  /** Parked polls' calls sent so far, each asked when counted (sim/adapters/nova-service-poll.ts). */
  readonly parkedNovaApiCalls = new Set<() => number>();
  /**
   * Nova API's workers as the recovery logic meets them (sim/adapters/nova-api.ts). A field of the world, not a
   * WeakMap keyed by it: V8 11.3's scavenger treats an old-space WeakMap's entries as strong, so every world run
   * since the last full GC was copied and promoted (measured: scavenges 3x the work, old space growing to 80 MB).
   */
  readonly novaApiQueue = new ApiQueue(this);
  private readonly streams = new Map<string, Rng>();
  private readonly root: Rng;

  constructor(spec: ScenarioSpec, options: WorldOptions) {
    this.config = spec.config;
    this.kernel = new Kernel(spec.config.run.maxEvents);
    this.trace = new Trace(options.trace ?? true);
    this.probe = options.probe ?? NULL_PROBE;
    this.defects = new Set((options.defects ?? []).map(catalogued));
    this.spec = spec;
    this.instancesByName = InstancesByName.of(spec);
    this.root = new Rng(options.seed);
    this.ids = new Ids(this.root.fork('ids'));
    const n = spec.config.nova;
    const sdt = n.serviceDownTimeMs <= n.reportIntervalMs ? 2.5 * n.reportIntervalMs : n.serviceDownTimeMs;
    this.heartbeat = { reportIntervalMs: n.reportIntervalMs, firstReportDelayMs: n.firstReportDelayMs, serviceDownTimeMs: sdt };
    for (let i = 1; i <= spec.topology.controllers; i++) this.controllers.set(`controller-${i}`, new Controller(`controller-${i}`));
    this.nova = new Nova(this);
  }

  /** Calls the recovery logic has sent to Nova's API so far, parked polls' included. */
  novaApiCalls(): number {
    let calls = this.counters.novaApiCalls;
    for (const sentSoFar of this.parkedNovaApiCalls) calls += sentSoFar();
    return calls;
  }

  /** Is this core defect injected? (A name not in harness/check/defects.ts does not compile.) */
  hasDefect(name: DefectName): boolean {
    return this.defects.has(name);
  }

  rng(stream: Stream): Rng {
    return this.forkRng(stream);
  }

  /** The run seed's fork named `name`, one instance per name (a stream's state is shared by all who draw from it). */
  forkRng(name: string): Rng {
    let r = this.streams.get(name);
    if (!r) this.streams.set(name, (r = this.root.fork(name)));
    return r;
  }

  /**
   * A stream of its own for a recovery design (`design:<name>`, and e.g. `design:<name>:bmc` for its BMC commands):
   * a fork of the run seed by name, so a design that draws more never shifts what the world or another design sees.
   */
  designRng(name: string): Rng {
    return this.forkRng(`design:${name}`);
  }

  draw(stream: Stream, dist: Dist): number {
    return Math.round(this.rng(stream).draw(dist));
  }

  emit(type: string, entity: string, fields?: Record<string, unknown>): void {
    this.trace.emit(this.kernel.now, type, entity, fields);
  }

  /** Whether trace records are kept: hot paths skip building their fields when not. */
  get tracing(): boolean {
    return this.trace.enabled;
  }

  // ---- reachability -------------------------------------------------------------------------------------

  /**
   * nova-compute's reports reach the database if some live controller is linked on `mgmt` and the message bus
   * carries its RPC to a running conductor (`message-bus-cut`, `nova-conductor-down` stop that alone).
   */
  reachesControlPlane(node: string): boolean {
    if (!this.controlFaults.busFlows(node)) return false;
    for (const c of this.controllers.values()) if (c.up && this.nets.linked('mgmt', node, c.name)) return true;
    return false;
  }

  /**
   * Users reach guests through the network nodes, which ihasim places with the controllers: a host whose tenant
   * NIC is down, or that a tenant partition leaves on no controller's side, has guests that run but serve no one.
   */
  tenantReachable(host: string): boolean {
    if (!this.nets.nicUp(host, 'tenant')) return false;
    if (this.nets.active().length === 0) return true;
    for (const c of this.controllers.values()) if (this.nets.linked('tenant', host, c.name)) return true;
    return false;
  }

  /** A running domain serves its users when they can reach it and, unless its disk is local, it can do I/O. */
  readonly reachableByUsers = (d: Domain): boolean =>
    this.tenantReachable(d.host.name) && (d.instance.spec.storage === 'local' || this.storageReachable(d.host.name));

  /** Why an instance that served a moment ago does not now (see InstanceMilestones.outageCause). */
  private outageCause(inst: Instance, host: string | null): string {
    const d = domainOn(inst, host) ?? inst.domains[0];
    if (!d) {
      const h = host === null ? undefined : this.hosts.get(host);
      return h && !h.alive ? HOST_CAUSES[h.state] : 'domain-destroyed';
    }
    if (d.frozen) return 'host-hung';
    if (d.state !== 'running') return GUEST_CAUSES[d.state];
    if (!this.tenantReachable(d.host.name)) return 'tenant-network-cut';
    return 'storage-unreachable';
  }

  storageReachable(host: string): boolean {
    return !this.storage.outage && !this.storage.cutHosts.has(host) && this.nets.linked('storage', host, 'storage');
  }

  // ---- hosts --------------------------------------------------------------------------------------------

  hostEvent(host: ComputeHost, event: HostEvent): boolean {
    const from = host.state;
    const actions = host.apply(event);
    if (actions === null) return false;
    if (event !== 'BOOTED') this.kernel.cancel(host.bootTimer);
    if (host.state === 'off') host.poweredOffAtMs = this.kernel.now;
    this.emit(`host.${event.toLowerCase()}`, host.name, { from, to: host.state });
    this.probe.hostStateChanged?.(host, this.kernel.now);
    for (const action of actions) this.hostAction(host, action);
    this.connectivityChanged(host);
    this.pacemaker.hostStateChanged(host);
    return true;
  }

  private hostAction(host: ComputeHost, action: string): void {
    switch (action) {
      case 'killDomains':
        for (const d of [...host.domains.values()]) this.destroyDomain(d, HOST_CAUSES[host.state]);
        // Rebuild casts not yet consumed stay on the message broker and run when this nova-compute starts again;
        // one its nova-compute had consumed dies with it (sim/nova/evacuation.ts). Nothing marks either failed.
        return;
      case 'freeze':
      case 'thaw':
        for (const d of host.domains.values()) {
          d.frozen = action === 'freeze';
          this.truthChanged(d.instance);
        }
        if (action === 'thaw') {
          noteOrphans(this, host);
          if (host.novaCompute === 'running') for (const rebuild of host.queuedRebuilds.splice(0)) rebuild();
        }
        return;
      case 'startBoot':
        host.bootTimer = this.kernel.after(this.draw('infra', this.config.host.bootMs), () => this.hostEvent(host, 'BOOTED'));
        return;
      case 'servicesUp':
        host.bootCount++;
        host.pacemakerRemote = true;
        host.novaCompute = 'held';
        this.design.hostBooted(host.name);
        return;
      case 'servicesDown':
        // A design's daemons on the node (spawned at `{host}`) die with its OS.
        this.processes.killOnHost(host.name);
        host.pacemakerRemote = false;
        host.novaCompute = 'stopped';
        this.nova.computeServices.get(host.name)!.setRunning(this.kernel.now, false, false);
        return;
    }
  }

  /** The design (unfencing) lets nova-compute start on a booted host. */
  releaseNovaCompute(host: ComputeHost): void {
    if (host.novaCompute === 'held') {
      host.novaCompute = 'stopped';
      launchNovaCompute(this, host);
    }
  }

  /** Re-judge what depends on a host's state and links: heartbeats, the remote connection, disk writers. */
  connectivityChanged(host: ComputeHost): void {
    const svc = this.nova.computeServices.get(host.name)!;
    const reaching = host.alive && this.reachesControlPlane(host.name);
    svc.setReaching(this.kernel.now, reaching);
    if (reaching) this.nova.scheduler.touch(host);
    // A nova-compute that reconnects to the broker takes the rebuild casts that waited for it.
    if (reaching && host.novaCompute === 'running' && host.queuedRebuilds.length > 0) for (const rebuild of host.queuedRebuilds.splice(0)) rebuild();
    this.pacemaker.remoteMayHaveChanged(host);
    // Tenant reachability changes whether any guest serves; storage reachability, whether a non-local one does.
    for (const d of host.domains.values()) this.truthChanged(d.instance);
  }

  /** A network, controller or storage change: re-judge every host (rare events; O(hosts) is fine). */
  topologyChanged(): void {
    this.probe.topologyChanged(this.kernel.now);
    this.pacemaker.membershipMayHaveChanged();
    for (const h of this.hostList) this.connectivityChanged(h);
  }

  // ---- BMC power actions --------------------------------------------------------------------------------

  /** Carry out a chassis action on the node after the BMC's latency (the caller checked reachability). */
  bmcAction(bmc: Bmc, action: BmcAction, latencyMs: number): void {
    const host = bmc.host;
    this.emit('bmc.action', host.name, { action });
    bmc.pendingActions++;
    this.kernel.after(latencyMs, () => {
      if (action === 'off') this.hostEvent(host, 'POWER_OFF');
      else if (action === 'on') this.powerOn(host);
      else if (action === 'reset') this.hostEvent(host, 'RESET');
      else if (action === 'diag') this.hostEvent(host, 'PANIC');
      else if (action === 'cycle') {
        this.hostEvent(host, 'POWER_OFF');
        this.kernel.after(1000, () => {
          this.powerOn(host);
          bmc.pendingActions--;
        });
        return;
      } else if (action === 'soft') this.softShutdown(host);
      bmc.pendingActions--;
    });
  }

  /** Power on, if the chassis has mains power (a BMC keeps answering on standby power, but cannot start it). */
  powerOn(host: ComputeHost): void {
    if (!host.mains || !host.outletOn) {
      this.emit('host.power-on-failed', host.name, { why: host.mains ? 'PDU outlet off' : 'no mains power' });
      return;
    }
    this.hostEvent(host, 'POWER_ON');
  }

  private softShutdown(host: ComputeHost): void {
    for (const d of host.domains.values()) this.guestEvent(d, 'SHUTDOWN');
    this.kernel.after(10_000, () => this.hostEvent(host, 'POWER_OFF'));
  }

  // ---- domains ------------------------------------------------------------------------------------------

  startDomain(inst: Instance, host: ComputeHost): Domain {
    const d = new Domain(inst, host, this.kernel.now);
    d.panicsOnBoot = panicsOnBoot(inst);
    host.domains.set(inst, d);
    inst.addDomain(d);
    inst.noteStart(host.name, this.kernel.now);
    if (this.tracing) this.emit('domain.start', inst.name, { host: host.name });
    this.probe.domainChanged?.(inst, host, 'started', d.startedAtMs, this.kernel.now);
    this.bootGuest(d);
    this.truthChanged(inst);
    return d;
  }

  /** A domain that was already running when the run began (no boot, no truth-change edge). */
  seedDomain(inst: Instance, host: ComputeHost): void {
    const d = new Domain(inst, host, 0);
    d.state = 'running';
    host.domains.set(inst, d);
    inst.addDomain(d);
  }

  destroyDomain(d: Domain, why: string): void {
    this.kernel.cancel(d.bootTimer);
    this.kernel.cancel(d.watchdogTimer);
    if (d.host.domains.get(d.instance) === d) d.host.domains.delete(d.instance);
    d.instance.removeDomain(d);
    if (this.tracing) this.emit('domain.destroy', d.instance.name, { host: d.host.name, why });
    this.probe.domainChanged?.(d.instance, d.host, 'stopped', d.startedAtMs, this.kernel.now);
    this.truthChanged(d.instance);
  }

  guestEvent(d: Domain, event: GuestEvent): void {
    const actions = d.apply(event);
    if (actions === null) return;
    if (this.tracing) this.emit(`guest.${event.toLowerCase()}`, d.instance.name, { host: d.host.name, state: d.state });
    for (const a of actions) this.guestAction(d, a);
    this.truthChanged(d.instance);
  }

  private guestAction(d: Domain, action: string): void {
    if (action === 'startBoot') this.bootGuest(d);
    else if (action === 'armWatchdog') this.armWatchdog(d);
    else if (action === 'disarmWatchdog') this.kernel.cancel(d.watchdogTimer);
    else if (action === 'countReset') d.resets++;
    else if (action === 'reportStopped') reportGuestStopped(this, d);
  }

  private bootGuest(d: Domain): void {
    d.bootTimer = this.kernel.after(this.draw('guest', this.config.guest.bootTimeMs), () => {
      this.guestEvent(d, 'BOOTED');
      if (d.panicsOnBoot) this.kernel.after(this.draw('guest', this.config.guest.bootTimeMs), () => this.guestEvent(d, 'PANIC'));
    });
  }

  private armWatchdog(d: Domain): void {
    const action = d.instance.watchdog;
    if (action === 'disabled' || action === 'none') return;
    d.watchdogTimer = this.kernel.after(this.config.guest.watchdogTimeoutMs, () => {
      if (action === 'notify') this.notify('watchdog', d.instance.name, `watchdog fired on ${d.host.name}; guest left as it is`);
      else this.guestEvent(d, action === 'reset' ? 'WD_RESET' : action === 'poweroff' ? 'WD_POWEROFF' : 'WD_PAUSE');
    });
  }

  notify(kind: string, entity: string, detail: string): void {
    this.notifications.push({ atMs: this.kernel.now, kind, entity, detail });
    this.emit(`notify.${kind}`, entity, { detail });
  }

  /** Every change to an instance's domains passes here: milestones, then the checkers. */
  truthChanged(inst: Instance): void {
    const m = inst.milestones;
    const serving = inst.serving(this.reachableByUsers);
    const now = this.kernel.now;
    if (!serving && inst.wasServing && m.failedAtMs !== null && m.recoveredAtMs !== null) closeOutage(m);
    if (!serving && m.failedAtMs === null && inst.wasServing) {
      m.failedAtMs = now;
      m.failedOn = inst.nova.host;
      m.outageCause = this.outageCause(inst, inst.nova.host);
    } else if (serving && m.failedAtMs !== null && m.recoveredAtMs === null) {
      m.recoveredAtMs = now;
    }
    inst.wasServing = serving;
    this.probe.instanceTruthChanged(inst, now);
  }

  /** Change the host Nova places an instance on (keeps each host's `novaInstances` index in step). */
  placeInNova(inst: Instance, host: ComputeHost): void {
    const old = inst.nova.host;
    if (old !== null) this.hosts.get(old)?.novaInstances.delete(inst);
    inst.nova.host = host.name;
    inst.nova.az = host.spec.az;
    host.novaInstances.add(inst);
  }

  // ---- views used by Nova's scheduler --------------------------------------------------------------------

  groupHosts(inst: Instance): { policy: string; hosts: Set<string> } | null {
    const g = inst.spec.group;
    if (!g) return null;
    const hosts = new Set<string>();
    for (const other of this.instances.values()) {
      if (other !== inst && other.spec.group === g && other.nova.host) hosts.add(other.nova.host);
    }
    return { policy: this.spec.serverGroups[g]?.policy ?? 'anti-affinity', hosts };
  }

  aggregateMetadataOf(host: ComputeHost): readonly Record<string, string>[] {
    const added = this.nova.addedAggregateHosts;
    return Object.entries(this.spec.topology.aggregates)
      .filter(([name, a]) => a.hosts.includes(host.name) || (added.size > 0 && added.get(name)?.includes(host.name)))
      .map(([, a]) => a.metadata);
  }
}

/**
 * `host-${state}` and `guest-${state}` (outage causes, why a domain was destroyed) as one string each rather than
 * one built per outage (a rack loss has hundreds per run).
 */
const HOST_CAUSES: Record<HostState, string> = { off: 'host-off', booting: 'host-booting', running: 'host-running', crashed: 'host-crashed', hung: 'host-hung' };
const GUEST_CAUSES: Record<GuestState, string> = {
  booting: 'guest-booting', running: 'guest-running', panicked: 'guest-panicked', hung: 'guest-hung', paused: 'guest-paused', shutoff: 'guest-shutoff',
};

/** Its domain on `host`, if any (the first, as `find` would). */
function domainOn(inst: Instance, host: string | null): Domain | undefined {
  for (const d of inst.domains) if (d.host.name === host) return d;
  return undefined;
}

/** A recurring panic (`guest-panic` with `recurring`) follows the instance into a new domain: if any domain of it panics on boot. */
function panicsOnBoot(inst: Instance): boolean {
  for (const o of inst.domains) if (o.panicsOnBoot) return true;
  return false;
}

/** The instance served again and has stopped again: the finished outage becomes an earlier one, a new one begins. */
function closeOutage(m: InstanceMilestones): void {
  const ms = m.recoveredAtMs! - m.failedAtMs!;
  m.earlierOutages++;
  m.earlierOutageMs += ms;
  m.longestEarlierOutageMs = Math.max(m.longestEarlierOutageMs, ms);
  m.failedAtMs = null;
  m.recoveredAtMs = null;
  m.evacuateAcceptedAtMs = null;
}
