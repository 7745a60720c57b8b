import { Bmc } from './infra/bmc.js';
import { ComputeHost } from './infra/compute-host.js';
import { ProcessRunner } from './kernel/process.js';
import { Instance, watchdogActionOf } from './instance.js';
import { ComputeService } from './nova/compute-service.js';
import { Pacemaker } from './pacemaker/pacemaker.js';
import { createPolicy } from './recovery/other-policies.js';
import type { ScenarioSpec, ServerSpec } from './scenario-spec.js';
import { World, type WorldOptions } from './world.js';
import { scheduleFaults } from './faults/inject.js';

/**
 * Build the world of a scenario at t=0: hosts with their BMCs and nova-compute services (heartbeating at a
 * seeded phase), instances placed by the same scheduler that evacuates, already running; Pacemaker and the
 * recovery policy started; the scenario's faults scheduled.
 */
export function buildWorld(spec: ScenarioSpec, options: WorldOptions): World {
  const world = new World(spec, options);
  addHosts(world);
  world.processes = new ProcessRunner(world.kernel);
  world.pacemaker = new Pacemaker(world);
  world.policy = createPolicy(world);
  addInstances(world);
  for (const dc of world.pacemaker.view.actingDcs) world.policy.clusterStarted(dc);
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

function addInstances(world: World): void {
  const projects = ['admin', 'demo'];
  world.spec.servers.forEach((server, i) => {
    const inst = makeInstance(world, server, projects[i % 2]!);
    world.instances.set(inst.uuid, inst);
    world.instancesByName.set(inst.name, inst);
    const host = server.host !== undefined ? world.hosts.get(server.host)! : world.nova.scheduler.select(inst, null);
    if (!host) {
      inst.nova.vmState = 'error';
      inst.nova.powerState = 0;
      inst.wasServing = false;
      world.emit('nova.boot.no-valid-host', inst.name);
      return;
    }
    inst.nova.host = host.name;
    inst.nova.az = host.spec.az;
    host.allocate(inst);
    world.nova.scheduler.touch(host);
    world.probe.claimed(host, inst, 0);
    world.seedDomain(inst, host);
  });
}

function makeInstance(world: World, server: ServerSpec, project: string): Instance {
  const flavor = world.spec.flavors[server.flavor]!;
  const image = world.spec.images[server.image]!;
  const record = {
    uuid: world.ids.uuid(), name: server.name, projectId: project, userId: project, flavor: server.flavor,
    image: server.image, host: null, az: null, requestedAz: server.az ?? null, vmState: 'active' as const,
    taskState: null, powerState: 1 as const, metadata: { ...server.metadata }, tags: [...server.tags],
    storage: server.storage, serverGroup: server.group ?? null, createdAtMs: 0, updatedAtMs: 0,
  };
  return new Instance(server, flavor, image, record, watchdogActionOf(flavor, image));
}
