import type { ComputeHost } from '../infra/compute-host.js';
import { launchNovaCompute } from '../nova/compute-agent.js';
import type { FaultKind, FaultSpec } from '../scenario-spec.js';
import type { World } from '../world.js';

type Apply = (world: World, fault: FaultSpec, targets: string[]) => void;

const host = (world: World, name: string): ComputeHost => world.hosts.get(name)!;

/** Open an incident (for the phase breakdown) on every host a fault makes fail. */
function failing(world: World, fault: FaultSpec, names: string[]): ComputeHost[] {
  return names.map((n) => {
    world.incidents.fault(n, fault.kind, world.kernel.now);
    return host(world, n);
  });
}

function guests(world: World, names: string[]) {
  return names.flatMap((n) => world.instancesByName.get(n)?.domains.filter((d) => d.executing) ?? []);
}

/**
 * The fault vocabulary (DOMAIN.md §7). Each entry changes the truth only through the world's own operations, so
 * the checkers see every consequence. A fault with `durationMs` undoes itself (see `undoOf`).
 */
export const FAULTS: Record<FaultKind, Apply> = {
  'host-power-loss': (w, f, t) => failing(w, f, t).forEach((h) => {
    h.mains = false;
    w.hostEvent(h, 'POWER_OFF');
  }),
  'power-restore': (w, _f, t) => t.forEach((n) => {
    const h = host(w, n);
    h.mains = true;
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
  'guest-panic': (w, f, t) => guests(w, t).forEach((d) => {
    if (f.recurring) d.panicsOnBoot = true;
    w.guestEvent(d, 'PANIC');
  }),
  'guest-hang': (w, _f, t) => guests(w, t).forEach((d) => w.guestEvent(d, 'HANG')),
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
    b.condition = 'ok';
    b.extraLatency = null;
  }),
  'storage-outage': (w, _f, t) => setStorage(w, t, true),
  'storage-restore': (w, _f, t) => setStorage(w, t, false),
};

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
};
