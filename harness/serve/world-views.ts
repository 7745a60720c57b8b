/**
 * JSON views of the served world for the control API: the truth (`GET /truth`) and, per instance, Nova's view
 * beside the truth (`GET /instances`). Read-only; times are simulated ms since the run start.
 */
import type { ComputeHost } from '../../sim/infra/compute-host.js';
import type { Instance } from '../../sim/instance.js';
import { NETWORKS } from '../../sim/scenario-spec.js';
import type { World } from '../../sim/world.js';
import { bmcReachability } from './world-bmc-backend.js';

export interface DomainView {
  host: string;
  state: string;
  executing: boolean;
  frozen: boolean;
}

function domainView(d: Instance['domains'][number]): DomainView {
  return { host: d.host.name, state: d.state, executing: d.executing, frozen: d.frozen };
}

/** One compute host: hardware and OS truth, its services, its BMC, Nova's service record, Pacemaker's view. */
function hostView(world: World, h: ComputeHost) {
  const svc = world.nova.computeServices.get(h.name)!;
  const bmc = world.bmcs.get(h.name)!;
  return {
    name: h.name, az: h.spec.az, rack: h.spec.rack, state: h.state, power: h.poweredOn ? 'on' : 'off', mains: h.mains,
    services: { novaCompute: h.novaCompute, pacemakerRemote: h.pacemakerRemote },
    fenceConfirmedAtMs: h.fenceConfirmedAtMs,
    nicsDown: NETWORKS.filter((n) => !world.nets.nicUp(h.name, n)),
    bmc: { kind: bmc.spec.kind, condition: bmc.condition, reachability: bmcReachability(world, bmc), slow: bmc.extraLatency !== null },
    nova: { status: svc.status, disabledReason: svc.disabledReason, forcedDown: svc.forcedDown, state: world.nova.isUp(svc) ? 'up' : 'down' },
    pacemaker: { node: world.pacemaker.nodeState.get(h.name) ?? 'online', evacuate: world.pacemaker.attrd.get(h.name, 'evacuate') },
    domains: [...h.domains.values()].map((d) => ({ instance: d.instance.name, ...domainView(d) })),
  };
}

/** `GET /truth`: hosts, controllers, partitions, storage, attrd, at the current sim time. */
export function truthView(world: World) {
  return {
    atMs: world.kernel.now,
    hosts: world.hostList.map((h) => hostView(world, h)),
    controllers: [...world.controllers.values()].map((c) => ({ name: c.name, up: c.up, quorate: world.pacemaker.quorate(c.name) })),
    partitions: world.nets.active().map((p) => ({ id: p.id, network: p.network, groups: p.groups.map((g) => [...g]), oneWay: p.oneWay })),
    storage: { outage: world.storage.outage, cutHosts: [...world.storage.cutHosts] },
    attrd: { evacuate: Object.fromEntries(world.pacemaker.attrd.entries('evacuate')) },
  };
}

/** One instance: where Nova places it, where it truly executes, and whether the two agree. */
function instanceView(inst: Instance) {
  const executing = inst.domains.filter((d) => d.executing).map((d) => d.host.name);
  const n = inst.nova;
  return {
    name: inst.name, uuid: inst.uuid, flavor: n.flavor, image: n.image, storage: inst.spec.storage,
    nova: { host: n.host, vmState: n.vmState, taskState: n.taskState, powerState: n.powerState },
    truth: { domains: inst.domains.map(domainView), executingOn: executing, serving: inst.wasServing },
    consistent: executing.length === 1 && executing[0] === n.host,
    milestones: { ...inst.milestones },
  };
}

/** `GET /instances`, optionally only those Nova places on, or that execute on, `host`. */
export function instancesView(world: World, host?: string) {
  const out = [];
  for (const inst of world.instances.values()) {
    if (host !== undefined && inst.nova.host !== host && !inst.domains.some((d) => d.host.name === host)) continue;
    out.push(instanceView(inst));
  }
  return { atMs: world.kernel.now, instances: out };
}
