import { Bmc } from './infra/bmc.js';
import { ComputeHost } from './infra/compute-host.js';
import { ProcessRunner } from './kernel/process.js';
import { Instance, watchdogActionOf, type ServerParts } from './instance.js';
import { ComputeService } from './nova/compute-service.js';
import { Pacemaker } from './pacemaker/pacemaker.js';
import type { InstanceRecord } from './nova/records.js';
import type { ScenarioSpec, ServerSpec } from './scenario-spec.js';
import { World, type WorldOptions } from './world.js';
import { scheduleFaults } from './faults/inject.js';
import { createDesign } from './adapters/create-design.js';

/**
 * Build the world of a scenario at t=0: hosts with their BMCs and nova-compute services (heartbeating at a
 * seeded phase), instances placed by the same scheduler that evacuates, already running; Pacemaker and the
 * recovery design started; the scenario's faults scheduled.
 */
export function buildWorld(spec: ScenarioSpec, options: WorldOptions): World {
  const world = new World(spec, options);
  addHosts(world);
  world.processes = new ProcessRunner(world.kernel);
  world.pacemaker = new Pacemaker(world);
  createDesign(world);
  addInstances(world);
  world.design.start();
  for (const dc of world.pacemaker.view.actingDcs) world.design.clusterStarted?.(dc);
  scheduleFaults(world, spec.faults);
  return world;
}

function addHosts(world: World): void {
  const n = world.config.nova;
  const ratios = { cpu: n.cpuAllocationRatio, ram: n.ramAllocationRatio, disk: n.diskAllocationRatio };
  const rng = world.rng('infra');
  world.spec.topology.computes.forEach((spec, index) => {
    const host = new ComputeHost(spec, index, ratios);
    world.hosts.set(spec.name, host);
    world.hostList.push(host);
    world.bmcs.set(spec.name, new Bmc(host, spec.bmc));
    const svc = new ComputeService(index + 1, world.ids.uuid(), spec.name, spec.az, world.heartbeat, true);
    svc.bootstrap(-rng.int(0, n.reportIntervalMs - 1) - n.firstReportDelayMs);
    world.nova.computeServices.set(spec.name, svc);
    world.nova.scheduler.touch(host);
  });
}

/**
 * Initial placement depends on the scenario only (the scheduler breaks ties by host order, never by the seed),
 * so it is computed once per scenario and reused by every seed: multi-seed runs skip the scheduler at start.
 */
const placements = new WeakMap<ScenarioSpec, (number | null)[]>();

function addInstances(world: World): void {
  const memo = placements.get(world.spec);
  // Recorded only by the first world of a scenario, for the others to reuse.
  const placed: (number | null)[] | null = memo ? null : [];
  const parts = serverParts(world.spec);
  const servers = world.spec.servers;
  for (let i = 0; i < servers.length; i++) {
    const server = servers[i]!;
    const inst = makeInstance(world, server, parts[i]!);
    world.instances.add(inst);
    world.instancesByName.add(inst);
    const host = memo ? (memo[i] === null ? null : world.hostList[memo[i]!]!) : place(world, inst, server);
    placed?.push(host ? host.index : null);
    if (host) seedOn(world, inst, host);
    else noValidHost(world, inst);
  }
  if (placed) placements.set(world.spec, placed);
  for (const h of world.hostList) world.nova.scheduler.touch(h);
}

/** Already running on `host` when the run begins: Nova's record, placement's claim and the domain. */
function seedOn(world: World, inst: Instance, host: ComputeHost): void {
  world.placeInNova(inst, host);
  host.allocate(inst);
  world.probe.claimed(host, inst, 0);
  world.seedDomain(inst, host);
}

/** No host could take it at boot (Nova's NoValidHost): in ERROR, never served. */
function noValidHost(world: World, inst: Instance): void {
  inst.nova.vmState = 'error';
  inst.nova.powerState = 0;
  inst.wasServing = false;
  inst.neverPlaced = true;
  world.emit('nova.boot.no-valid-host', inst.name);
}

const partsBySpec = new WeakMap<ScenarioSpec, readonly ServerParts[]>();

/** Each server's parts, worked out once per scenario rather than per instance of every seed. */
function serverParts(spec: ScenarioSpec): readonly ServerParts[] {
  let parts = partsBySpec.get(spec);
  if (!parts) {
    parts = spec.servers.map((server, i) => {
      const flavor = spec.flavors[server.flavor]!;
      const image = spec.images[server.image]!;
      return { flavor, image, watchdog: watchdogActionOf(flavor, image), project: i % 2 === 0 ? 'admin' : 'demo' };
    });
    partsBySpec.set(spec, parts);
  }
  return parts;
}

function place(world: World, inst: Instance, server: ServerSpec): ComputeHost | null {
  if (server.host !== undefined) return world.hosts.get(server.host)!;
  const host = world.nova.scheduler.select(inst, null);
  if (host) {
    host.allocate(inst);
    world.nova.scheduler.touch(host);
  }
  return host;
}

function makeInstance(world: World, server: ServerSpec, parts: ServerParts): Instance {
  const project = parts.project;
  const record: InstanceRecord = {
    uuid: world.ids.indexedUuid(world.instances.size), name: server.name, projectId: project, userId: project, flavor: server.flavor,
    image: server.image, host: null, az: null, requestedAz: server.az ?? null, vmState: 'active',
    // The scenario is frozen: sharing its metadata and tags is safe (Nova's API layer copies them out).
    taskState: null, powerState: 1, metadata: server.metadata, tags: server.tags,
    storage: server.storage, serverGroup: server.group ?? null, createdAtMs: 0, updatedAtMs: 0,
  };
  // Added last, and only when given (absent: none); a spread of `{}` here cost a runtime call per instance.
  if (server.userData !== undefined) record.userData = server.userData;
  return new Instance(server, parts, record);
}
