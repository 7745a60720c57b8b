import { sleep, type Op } from '../kernel/process.js';
import type { Rng } from '../kernel/rng.js';
import type { DesignCapabilities } from '../recovery/design.js';
import type { DesignPorts, LifecyclePort, ProcessPlace, RandomPort } from '../recovery/design-ports.js';
import type { World } from '../world.js';
import { simBmc } from './bmc-port.js';
import { callerNode } from './caller.js';
import { simCluster } from './cluster-port.js';
import { simNovaAdmin } from './nova-admin.js';
import { simPowerFence } from './sim-fence-agent.js';
import { simNotifier } from './notifier-port.js';

/** What the simulated adapters need to know of the design they serve. */
export interface DesignIdentity {
  name: string;
  capabilities: DesignCapabilities;
  /** The run seed's fork the design draws from (default `design:<name>`; see DesignDefinition.randomStream). */
  randomStream?: string;
}

/**
 * Every DesignPorts member on the simulated world. Where a call comes from (the controller judged by
 * `quorum-respected`, the node a BMC must be reachable from) is the place of the process that makes it
 * (`spawn`), read from the process runner: the design never passes it.
 */
export function simDesignPorts(world: World, design: DesignIdentity): DesignPorts {
  const rng = design.randomStream !== undefined ? world.forkRng(design.randomStream) : world.designRng(design.name);
  const ports: DesignPorts = {
    nova: simNovaAdmin(world),
    bmc: simBmc(world, world.designRng(`${design.name}:bmc`)),
    fenceAgent: { fence: (host, action, deadlineMs) => simPowerFence(world, callerNode(world), host, action, deadlineMs) },
    notifier: simNotifier(world),
    clock: { now: () => world.kernel.now, sleep: (ms) => sleep(ms) },
    random: simRandom(rng),
    spawn: (name, where, op) => spawnAt(world, name, where, op),
    running: (name) => world.processes.running(name).length,
    lifecycle: simLifecycle(world),
    log: (type, entity, fields) => world.emit(type, entity, fields),
    hasDefect: (name) => world.defects.has(name),
  };
  if (design.capabilities.pacemakerFencing !== 'none') ports.cluster = simCluster(world);
  return ports;
}

function simRandom(rng: Rng): RandomPort {
  return {
    uniform: (min, max) => rng.int(min, max),
    draw: (dist) => Math.round(rng.draw(dist)),
  };
}

/**
 * `{controller}`: owned by it (killed on its failure or quorum loss); `{host}`: dies with the compute, and is
 * frozen while the compute hangs; `external`: never.
 */
function spawnAt(world: World, name: string, where: ProcessPlace, op: Op<unknown>): void {
  if (where === 'external') world.processes.spawn(name, null, op);
  else if ('controller' in where) world.processes.spawn(name, where.controller, op);
  else world.processes.spawn(name, null, frozenWhileHung(world, where.host, op), where.host);
}

/** How often a process frozen with its hung node looks whether the node resumed. */
const HUNG_POLL_MS = 1_000;

/**
 * A daemon on a hung node makes no progress: after each of its effects, it resumes only once the node runs again
 * (a node that dies instead kills it: ProcessRunner.killOnHost). Effects and thrown API errors pass through.
 */
function* frozenWhileHung<T>(world: World, hostName: string, op: Op<T>): Op<T> {
  const host = world.hosts.get(hostName);
  let step = op.next();
  for (;;) {
    if (step.done) return step.value;
    let input: unknown;
    let error: { err: unknown } | null = null;
    try {
      input = yield step.value;
    } catch (err) {
      error = { err };
    }
    while (host?.state === 'hung') yield* sleep(HUNG_POLL_MS);
    step = error ? op.throw(error.err) : op.next(input);
  }
}

function simLifecycle(world: World): LifecyclePort {
  const detectedByDesign = new WeakSet<object>();
  const host = (name: string) => {
    const h = world.hosts.get(name);
    if (!h) throw new RangeError(`unknown compute host '${name}'`);
    return h;
  };
  return {
    releaseNovaCompute: (name) => world.releaseNovaCompute(host(name)),
    novaComputeHeld: (name) => host(name).novaCompute === 'held',
    hosts: () => world.hostList.map((h) => h.name),
    node: (name) => {
      const h = host(name);
      return { alive: h.alive, state: h.state, bootCount: h.bootCount, novaCompute: h.novaCompute };
    },
    serviceNow: (name) => {
      const svc = world.nova.computeServices.get(name);
      return svc ? world.nova.serviceRecord(svc) : undefined;
    },
    recovered: (name) => world.incidents.close(name, world.kernel.now),
    // The design's first detection of this incident replaces Pacemaker's: its computes are remote nodes of the model's
    // cluster whatever the design, but a design that detects on its own (RHOSO's poller) acts on its detection only.
    detected: (name) => {
      const inc = world.incidents.current(name);
      if (!inc || detectedByDesign.has(inc)) return;
      detectedByDesign.add(inc);
      inc.detectedAtMs = world.kernel.now;
    },
  };
}
