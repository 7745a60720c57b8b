import type { ComputeHost } from '../infra/compute-host.js';
import { launchNovaCompute } from '../nova/compute-agent.js';
import type { FaultKind, FaultSpec, NetworkName } from '../scenario-spec.js';
import type { World } from '../world.js';
import { ANY } from './control-plane.js';

type Apply = (world: World, fault: FaultSpec, targets: string[]) => void;

const host = (world: World, name: string): ComputeHost => world.hosts.get(name)!;

/** Open an incident (for the phase breakdown) on every host a fault makes fail. */
function failing(world: World, fault: FaultSpec, names: string[]): ComputeHost[] {
  return names.map((n) => {
    world.incidents.fault(n, fault.kind, world.kernel.now);
    return host(world, n);
  });
}

/** The running guests of the servers; a fault written `{host: …}` hits only the guests on those hosts. */
function guests(world: World, fault: FaultSpec, names: string[]) {
  const on = fault.target?.onHosts ? new Set(fault.target.onHosts) : null;
  return names.flatMap((n) => world.instancesByName.get(n)?.domains.filter((d) => d.executing && (!on || on.has(d.host.name))) ?? []);
}

const keysOf = (t: string[]): string[] => (t.length ? t : [ANY]);

/** Faults at the seams of the recovery logic; their state is `world.controlFaults` (control-plane.ts). */
type SeamKind = 'nova-api-errors' | 'nova-api-slow' | 'nova-api-restore' | 'keystone-token-expired' | 'rebuild-rpc-lost'
  | 'rebuild-rpc-restore' | 'message-bus-cut' | 'message-bus-restore' | 'nova-conductor-down' | 'nova-conductor-restore'
  | 'nova-scheduler-down' | 'nova-scheduler-restore' | 'attrd-update-lost' | 'attrd-delay' | 'attrd-restore'
  | 'tor-switch-failure' | 'tor-switch-restore' | 'recovery-restart';
const SEAM_FAULTS: Record<SeamKind, Apply> = {
  'nova-api-errors': (w, f) => {
    w.controlFaults.apiErrorRate = Math.max(w.controlFaults.apiErrorRate, f.rate ?? 1);
  },
  'nova-api-slow': (w, f) => {
    w.controlFaults.apiLatency = f.latencyMs ?? { kind: 'const', value: 10_000 };
  },
  'nova-api-restore': (w) => {
    w.controlFaults.apiErrorRate = 0;
    w.controlFaults.apiLatency = null;
  },
  'keystone-token-expired': (w) => {
    w.controlFaults.tokenExpired = true;
  },
  'rebuild-rpc-lost': (w, f, t) => {
    if (f.durationMs === undefined) w.controlFaults.rebuildCasts.armNext(keysOf(t));
    else w.controlFaults.rebuildCasts.open(keysOf(t), f.rate ?? 1);
  },
  'rebuild-rpc-restore': (w, _f, t) => w.controlFaults.rebuildCasts.close(keysOf(t)),
  'message-bus-cut': (w, _f, t) => setBus(w, t, false),
  'message-bus-restore': (w, _f, t) => setBus(w, t, true),
  'nova-conductor-down': (w) => {
    w.controlFaults.conductorDown = true;
    w.emit('nova.conductor.down', 'nova-conductor');
    w.topologyChanged();
  },
  'nova-conductor-restore': (w) => {
    w.controlFaults.conductorDown = false;
    w.emit('nova.conductor.up', 'nova-conductor');
    w.topologyChanged();
    for (const go of w.controlFaults.conductorWaiters.splice(0)) go();
  },
  'nova-scheduler-down': (w) => {
    w.controlFaults.schedulerDown = true;
    w.emit('nova.scheduler.down', 'nova-scheduler');
  },
  'nova-scheduler-restore': (w) => {
    w.controlFaults.schedulerDown = false;
    w.emit('nova.scheduler.up', 'nova-scheduler');
    for (const go of w.controlFaults.schedulerWaiters.splice(0)) go();
  },
  'attrd-update-lost': (w, f, t) => {
    if (f.durationMs === undefined) w.controlFaults.attrdUpdates.armNext(keysOf(t));
    else w.controlFaults.attrdUpdates.open(keysOf(t), f.rate ?? 1);
  },
  'attrd-delay': (w, f) => {
    w.controlFaults.attrdLatency = f.latencyMs ?? { kind: 'const', value: 30_000 };
  },
  'attrd-restore': (w, _f, t) => {
    w.controlFaults.attrdUpdates.close(keysOf(t));
    if (t.length === 0) w.controlFaults.attrdLatency = null;
  },
  'recovery-restart': (w) => restartRecovery(w),
  // Composite: inject.ts injects their parts (COMPOSITE below) and never calls these.
  'tor-switch-failure': () => undefined,
  'tor-switch-restore': () => undefined,
};

/** A Kubernetes container restart: the new process runs this long after the old one died (image cached). */
const POD_RESTART_MS = 10_000;

/**
 * The design's processes placed `external` (RHOSO InstanceHA's poller pod and its worker threads) die with
 * everything they held in memory; the pod's new container starts the design again, which must resume from what Nova
 * records.
 */
function restartRecovery(w: World): void {
  const killed = w.processes.killUnplaced();
  w.emit('recovery.restart', w.spec.recovery.policy, { processes: killed });
  w.kernel.after(POD_RESTART_MS, () => {
    w.emit('recovery.started', w.spec.recovery.policy);
    w.design.start();
  });
}

/** The message bus stops (or resumes) carrying these computes' RPC: heartbeats, rebuild casts. */
function setBus(w: World, names: string[], flows: boolean): void {
  for (const n of names) {
    if (flows) w.controlFaults.busCut.delete(n);
    else w.controlFaults.busCut.add(n);
    w.emit(flows ? 'message-bus.restore' : 'message-bus.cut', n);
    w.connectivityChanged(host(w, n));
  }
}

/**
 * The fault vocabulary (scenarios/README.md "Faults"; docs/model.md "Faults and holds"). Each entry changes the truth only through the world's own operations, so
 * the checkers see every consequence. A fault with `durationMs` undoes itself (see `undoOf`).
 */
export const FAULTS: Record<FaultKind, Apply> = {
  'host-power-loss': (w, f, t) => failing(w, f, t).forEach((h) => {
    h.mains = false;
    if (f.bmcSharesPower) bmcLosesPower(w, h.name);
    w.hostEvent(h, 'POWER_OFF');
  }),
  'power-restore': (w, _f, t) => t.forEach((n) => {
    const h = host(w, n);
    h.mains = true;
    bmcRegainsPower(w, n);
    w.powerOn(h);
  }),
  'host-kernel-panic': (w, f, t) => {
    const kdump = f.kdumpRebootMs ?? w.config.host.kdumpRebootMs;
    for (const h of failing(w, f, t)) {
      w.hostEvent(h, 'PANIC');
      // kdump reboots the boot that panicked, and only while it is still crashed: not one that fencing has since
      // powered off (and maybe on again).
      const boot = h.bootCount;
      const offAt = h.poweredOffAtMs;
      if (kdump > 0) w.kernel.after(kdump, () => {
        if (h.state === 'crashed' && h.bootCount === boot && h.poweredOffAtMs === offAt) w.hostEvent(h, 'RESET');
      });
    }
  },
  'host-hang': (w, f, t) => failing(w, f, t).forEach((h) => w.hostEvent(h, 'HANG')),
  'host-reboot': (w, f, t) => failing(w, f, t).forEach((h) => w.hostEvent(h, 'RESET')),
  'nova-compute-crash': (w, _f, t) => t.forEach((n) => crashNovaCompute(w, host(w, n))),
  'nova-compute-start': (w, _f, t) => t.forEach((n) => launchNovaCompute(w, host(w, n))),
  'pacemaker-remote-crash': (w, f, t) => failing(w, f, t).forEach((h) => crashPacemakerRemote(w, h)),
  'nic-down': (w, f, t) => setNics(w, f, t, false),
  'nic-up': (w, f, t) => setNics(w, f, t, true),
  'guest-panic': (w, f, t) => guests(w, f, t).forEach((d) => {
    if (f.recurring) d.panicsOnBoot = true;
    w.guestEvent(d, 'PANIC');
  }),
  'guest-hang': (w, f, t) => guests(w, f, t).forEach((d) => w.guestEvent(d, 'HANG')),
  'network-partition': (w, f) => {
    const p = w.nets.partition(f.network!, f.groups!, f.oneWay ?? false);
    if (f.network === 'mgmt') failing(w, f, cutFromControllers(w, f.groups!));
    w.emit('network.partition', f.network!, { groups: f.groups, oneWay: f.oneWay ?? false, id: p.id });
    w.topologyChanged();
    if (f.durationMs !== undefined) w.kernel.after(f.durationMs, () => heal(w, p.id));
  },
  'network-heal': (w, f) => {
    const n = w.nets.heal(f.network ? { network: f.network } : {});
    w.emit('network.heal', f.network ?? 'all', { partitions: n });
    w.topologyChanged();
  },
  'controller-failure': (w, _f, t) => setControllers(w, t, false),
  'controller-restore': (w, _f, t) => setControllers(w, t, true),
  'bmc-unreachable': (w, _f, t) => t.forEach((n) => (w.bmcs.get(n)!.condition = 'unreachable')),
  'bmc-broken': (w, _f, t) => t.forEach((n) => (w.bmcs.get(n)!.condition = 'broken')),
  'bmc-slow': (w, f, t) => t.forEach((n) => (w.bmcs.get(n)!.extraLatency = f.latencyMs ?? { kind: 'const', value: 30_000 })),
  'bmc-restore': (w, _f, t) => t.forEach((n) => {
    const b = w.bmcs.get(n)!;
    // A BMC powered from its host's feed stays dead while that feed is off.
    b.condition = b.unpowered ? 'unreachable' : 'ok';
    b.extraLatency = null;
  }),
  'storage-outage': (w, _f, t) => setStorage(w, t, true),
  'storage-restore': (w, _f, t) => setStorage(w, t, false),
  ...SEAM_FAULTS,
};

/** A BMC on its host's power feed (no standby power) dies with it: fencing it is impossible. */
function bmcLosesPower(w: World, name: string): void {
  const b = w.bmcs.get(name)!;
  b.unpowered = true;
  b.condition = 'unreachable';
  w.emit('bmc.power-lost', name, { why: 'powered from the host feed' });
}

function bmcRegainsPower(w: World, name: string): void {
  const b = w.bmcs.get(name)!;
  if (!b.unpowered) return;
  b.unpowered = false;
  b.condition = 'ok';
}

/** Computes in a partition group that holds no controller: cut off from the control plane. */
function cutFromControllers(w: World, groups: readonly string[][]): string[] {
  return groups.filter((g) => !g.some((n) => w.controllers.has(n))).flat().filter((n) => w.hosts.has(n));
}

/** pacemaker_remote.service has Restart=on-failure: systemd starts the daemon again this long after a crash. */
const REMOTE_RESTART_MS = 1_000;

/**
 * The daemon dies and systemd restarts it. The cluster's connection dropped all the same, so an online node is
 * fenced (Pacemaker.remoteCrashed); a node the cluster already had offline simply reconnects once it is back.
 */
function crashPacemakerRemote(w: World, h: ComputeHost): void {
  if (!h.alive || !h.pacemakerRemote) return;
  h.pacemakerRemote = false;
  w.emit('pacemaker-remote.crash', h.name);
  w.pacemaker.remoteCrashed(h);
  const boot = h.bootCount;
  w.kernel.after(REMOTE_RESTART_MS, () => {
    if (!h.alive || h.bootCount !== boot || h.pacemakerRemote) return;
    h.pacemakerRemote = true;
    w.emit('pacemaker-remote.restart', h.name);
    w.pacemaker.remoteMayHaveChanged(h);
  });
}

/** A held nova-compute (waiting for unfencing) that crashes is restarted into the same wait: it stays held. */
function crashNovaCompute(w: World, h: ComputeHost): void {
  if (h.novaCompute === 'stopped' || h.novaCompute === 'held') return;
  h.novaCompute = 'stopped';
  w.nova.computeServices.get(h.name)!.setRunning(w.kernel.now, false, false);
  w.emit('nova-compute.crash', h.name);
}

function setNics(w: World, f: FaultSpec, names: string[], up: boolean): void {
  if (!up && f.network === 'mgmt') failing(w, f, names.filter((n) => w.hosts.has(n)));
  for (const n of names) w.nets.setNic(n, f.network!, up);
  w.topologyChanged();
}

function setControllers(w: World, names: string[], up: boolean): void {
  for (const n of names) {
    w.controllers.get(n)!.up = up;
    if (!up) w.pacemaker.controllerFailed(n);
    w.emit(up ? 'controller.restore' : 'controller.failure', n);
  }
  w.topologyChanged();
}

function setStorage(w: World, names: string[], down: boolean): void {
  if (names.length === 0) w.storage.outage = down;
  for (const n of names) {
    if (down) w.storage.cutHosts.add(n);
    else w.storage.cutHosts.delete(n);
  }
  w.emit(down ? 'storage.outage' : 'storage.restore', names.length === 0 ? 'shared-storage' : names.join(','));
  w.topologyChanged();
}

function heal(w: World, id: number): void {
  w.nets.heal({ id });
  w.emit('network.heal', `partition-${id}`);
  w.topologyChanged();
}

/** The fault that undoes `kind` when it has a `duration` (partitions heal themselves in FAULTS). */
export const UNDO: Partial<Record<FaultKind, FaultKind>> = {
  'host-power-loss': 'power-restore',
  'host-hang': 'host-hang',
  'nic-down': 'nic-up',
  'nova-compute-crash': 'nova-compute-start',
  'controller-failure': 'controller-restore',
  'bmc-unreachable': 'bmc-restore',
  'bmc-broken': 'bmc-restore',
  'bmc-slow': 'bmc-restore',
  'storage-outage': 'storage-restore',
  'nova-api-errors': 'nova-api-restore',
  'nova-api-slow': 'nova-api-restore',
  'rebuild-rpc-lost': 'rebuild-rpc-restore',
  'message-bus-cut': 'message-bus-restore',
  'nova-conductor-down': 'nova-conductor-restore',
  'nova-scheduler-down': 'nova-scheduler-restore',
  'attrd-update-lost': 'attrd-restore',
  'attrd-delay': 'attrd-restore',
};

/**
 * Faults that set one shared condition (a BMC's, the API's, attrd's): when one of them is undone while another
 * still holds the same target, the target is restored and the ones still held are applied again.
 */
export const REAPPLIED_KINDS: ReadonlySet<FaultKind> = new Set<FaultKind>([
  'bmc-unreachable', 'bmc-broken', 'bmc-slow', 'nova-api-errors', 'nova-api-slow', 'attrd-update-lost', 'attrd-delay',
]);

/** Networks a top-of-rack switch carries; the BMCs' (`ipmi`) only when they hang off it too. */
const TOR_NETWORKS: readonly NetworkName[] = ['mgmt', 'tenant', 'storage'];

/**
 * Faults that are several others at once (inject.ts injects the parts, each holding its targets): a failed
 * top-of-rack switch is every NIC of its hosts down, so it overlaps `nic-down` faults on the same NICs correctly.
 */
export const COMPOSITE: Partial<Record<FaultKind, (fault: FaultSpec) => FaultSpec[]>> = {
  'tor-switch-failure': (f) => torNetworks(f).map((network) => ({ ...f, kind: 'nic-down', network })),
  'tor-switch-restore': (f) => torNetworks(f).map((network) => ({ ...f, kind: 'nic-up', network })),
};

function torNetworks(f: FaultSpec): NetworkName[] {
  return f.ipmi === false ? [...TOR_NETWORKS] : [...TOR_NETWORKS, 'ipmi'];
}
