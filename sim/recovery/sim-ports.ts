import { call, sleep, waitFor, type Op } from '../kernel/process.js';
import { NovaApiError } from '../nova/records.js';
import type { World } from '../world.js';
import type { AttrdPort, FenceResult, NotifierPort, NovaPort, Ports, PowerFencer } from './ports.js';
import { ApiQueue } from './api-queue.js';
import { simPowerFence } from './sim-fence-agent.js';

/** In-process adapters of the ports on the simulated world; `owner` is the controller the caller runs on. */
export function simPorts(world: World, owner: string | null): Ports {
  return {
    nova: simNova(world, owner),
    power: { fence: (host, action, deadlineMs) => fenceAs(world, owner, host, action, deadlineMs) } satisfies PowerFencer,
    attrd: simAttrd(world),
    notifier: simNotifier(world),
    now: () => world.kernel.now,
    log: (type, entity, fields) => world.emit(type, entity, fields),
  };
}

/**
 * A device action. It is not judged by `quorum-respected` by itself: the fencing operation it belongs to was
 * (fencer.ts `fenceNode`), and a level's devices run to the end once the operation started, as Pacemaker's do.
 */
function* fenceAs(world: World, owner: string | null, host: string, action: 'off' | 'on' | 'reboot', deadlineMs?: number): Op<FenceResult> {
  return yield* simPowerFence(world, owner, host, action, deadlineMs);
}

const queues = new WeakMap<World, ApiQueue>();

function apiQueue(world: World): ApiQueue {
  let q = queues.get(world);
  if (!q) queues.set(world, (q = new ApiQueue(world)));
  return q;
}

function simNova(world: World, owner: string | null): NovaPort {
  const nova = world.nova;
  const api = <T>(perform: () => T, extraMs = 0): Op<T> => {
    world.counters.novaApiCalls++;
    return call(apiQueue(world).delay() + extraMs + injectedLatency(world), () => {
      failIfInjected(world);
      return perform();
    });
  };
  const action = (kind: 'evacuate', target: string) => world.probe.recoveryAction(kind, target, owner, world.kernel.now);
  return {
    services: (host) => api(() => nova.services({ host, binary: 'nova-compute' })),
    // A force-down by fence_compute is a step of the fencing operation the DC started: judged there.
    forceDown: (host, down) => api(() => nova.forceDown(host, 'nova-compute', down)),
    disable: (host, reason) => api(() => nova.disable(host, 'nova-compute', reason), disableRpcMs(world, host)),
    enable: (host) => api(() => nova.enable(host, 'nova-compute'), disableRpcMs(world, host)),
    servers: (host) => api(() => nova.instances({ host })),
    evacuate: (uuid, request) => api(() => {
      action('evacuate', world.instances.get(uuid)?.name ?? uuid);
      return nova.evacuate(uuid, request);
    }),
    migrations: (filter) => api(() => nova.migrations(filter)),
    flavors: () => api(() => nova.flavors()),
    images: () => api(() => nova.images()),
    hypervisors: () => api(() => nova.hypervisors()),
  };
}

/**
 * `nova-api-slow` adds its latency to each call; `keystone-token-expired` makes the next call meet a 401, on which
 * keystoneauth (`Session.request`: `auth.invalidate()`, then one retry) gets a new token and sends the call again:
 * two more round trips, invisible to the agent.
 */
function injectedLatency(world: World): number {
  const faults = world.controlFaults;
  let ms = faults.apiLatency ? world.draw('faults', faults.apiLatency) : 0;
  if (faults.tokenExpired) {
    faults.tokenExpired = false;
    ms += 2 * world.draw('nova', world.config.nova.apiCallMs);
    world.emit('keystone.reauthenticate', 'recovery-agent', { why: '401: token expired' });
  }
  return ms;
}

/**
 * `nova-api-errors`: the call is answered 500 or 503 before Nova does anything (an API worker's unexpected error, or
 * haproxy without a healthy backend); python-novaclient raises it as an exception, as NovaApiError does here.
 */
function failIfInjected(world: World): void {
  const rate = world.controlFaults.apiErrorRate;
  if (rate <= 0) return;
  const rng = world.rng('faults');
  if (rate < 1 && rng.float() >= rate) return;
  const status = rng.float() < 0.5 ? 500 : 503;
  world.emit('nova-api.error', 'nova-api', { status });
  throw new NovaApiError(status, status === 500 ? 'Unexpected API Error. (HTTP 500)' : 'Service Unavailable (HTTP 503)');
}

/**
 * Disable/enable of a service Nova believes up makes a synchronous RPC to the compute; if the host is really
 * dead the API call blocks until the RPC times out (RHBZ#1760213: why fence_compute forces down first).
 */
function disableRpcMs(world: World, hostName: string): number {
  const host = world.hosts.get(hostName);
  const svc = world.nova.computeServices.get(hostName);
  if (!host || !svc || !world.nova.isUp(svc)) return 0;
  const answers = host.alive && host.novaCompute === 'running' && world.reachesControlPlane(hostName);
  return answers ? 0 : world.config.nova.rpcTimeoutMs;
}

function simAttrd(world: World): AttrdPort {
  const attrd = world.pacemaker.attrd;
  return {
    get: (node, name) => call(0, () => attrd.get(node, name)),
    set: (node, name, value) => call(50, () => updateAttribute(world, node, name, value)),
    changed: () => waitFor(attrd.signal),
  };
}

/**
 * `attrd_updater -U` returns once the local attrd has the request; `attrd-update-lost` loses it after that (the
 * caller saw success), `attrd-delay` lands it later, each node's updates still in order.
 */
function updateAttribute(world: World, node: string, name: string, value: string): void {
  const faults = world.controlFaults;
  if (faults.attrdUpdates.takes(node, () => world.rng('faults'))) {
    world.emit('attrd.update-lost', node, { name, value });
    return;
  }
  if (!faults.attrdLatency && !faults.attrdLandsAt.has(node)) return world.pacemaker.attrd.set(node, name, value);
  const now = world.kernel.now;
  const delay = faults.attrdLatency ? world.draw('faults', faults.attrdLatency) : 0;
  const at = Math.max(now + delay, faults.attrdLandsAt.get(node) ?? now);
  faults.attrdLandsAt.set(node, at);
  world.emit('attrd.update-delayed', node, { name, value, byMs: at - now });
  world.kernel.at(at, () => {
    if (faults.attrdLandsAt.get(node) === at) faults.attrdLandsAt.delete(node);
    world.pacemaker.attrd.set(node, name, value);
  });
}

function simNotifier(world: World): NotifierPort {
  return { notify: (kind, entity, detail) => notifyAfterYield(world, kind, entity, detail) };
}

/**
 * Generators are module-level functions, never closures: calling a generator closure gives it an initial map,
 * which lives in V8's old space and points back at the closure and its context, so every world that called one
 * survived minor GCs until the next full GC (one of the paths that kept dead worlds alive; see disposeWorld).
 */
function* notifyAfterYield(world: World, kind: string, entity: string, detail: string): Op<void> {
  yield* sleep(0);
  world.notify(kind, entity, detail);
}
