import { call, type Op } from '../kernel/process.js';
import type { ClusterPort, ClusterView } from '../recovery/design-ports.js';
import type { World } from '../world.js';
import { simAttrd } from './attrd-port.js';

/** `crm_mon -X` reads the node's local CIB copy: a local command, quick. */
const CRM_MON_MS = 100;

/** ClusterPort on the world's Pacemaker model (sim/pacemaker). */
export function simCluster(world: World): ClusterPort {
  return {
    view: (fromNode) => clusterView(world, fromNode),
    attrd: simAttrd(world),
    managesNode: (host) => world.pacemaker.managesNode(world.hosts.get(host)!),
    fence: (host, dc) => world.pacemaker.fence(world.hosts.get(host)!, dc),
    actingDcs: () => world.pacemaker.view.actingDcs,
  };
}

function clusterView(world: World, fromNode: string): Op<ClusterView> {
  return call(CRM_MON_MS, () => viewFrom(world, fromNode));
}

const UNREACHABLE: ClusterView = { reachable: false, quorate: false, dcState: 'S_NOT_DC', nodes: [] };

/**
 * What `crm_mon -X` prints on `fromNode`: the agreed membership of ITS partition (sim/pacemaker/membership.ts), not
 * the truth. A controller sees its own partition (members online, other controllers offline) and the remote nodes
 * its partition's DC manages; a partition that does not act (no quorum, `no-quorum-policy=stop`) shows every
 * remote node offline. A compute (a remote node) sees the view of the DC its pacemaker_remote is connected to, and
 * nothing (unreachable) when no acting DC has it. A node that is down cannot run crm_mon: unreachable.
 */
export function viewFrom(world: World, fromNode: string): ClusterView {
  const pm = world.pacemaker;
  const controller = world.controllers.get(fromNode);
  let partition = pm.view.partitions.find((p) => p.members.includes(fromNode));
  if (controller) {
    if (!controller.up || !partition) return UNREACHABLE;
  } else {
    const host = world.hosts.get(fromNode);
    if (!host || !pm.connected(host)) return UNREACHABLE;
    const dc = pm.view.actingDcs.find((d) => world.nets.linked('mgmt', d, fromNode));
    partition = pm.view.partitions.find((p) => p.dc === dc);
    if (!partition) return UNREACHABLE;
  }
  const acting = pm.view.actingDcs.includes(partition.dc);
  const nodes: { name: string; remote: boolean; online: boolean }[] = [];
  for (const c of world.controllers.keys()) nodes.push({ name: c, remote: false, online: partition.members.includes(c) });
  for (const h of world.hostList) {
    const online = acting && pm.nodeState.get(h.name) === 'online' && h.alive && h.pacemakerRemote && world.nets.linked('mgmt', partition.dc, h.name);
    nodes.push({ name: h.name, remote: true, online });
  }
  const dcState = fromNode === partition.dc ? 'S_IDLE' : 'S_NOT_DC';
  return { reachable: true, quorate: partition.quorate, dcState, nodes };
}
