import { sleep, type Op } from '../kernel/process.js';
import type { World } from '../world.js';
import type { FenceResult, NotifierPort, NovaPort, Ports, PowerFencer } from '../recovery/ports.js';
import { simAttrd } from './attrd-port.js';
import { disableRpcMs, novaCall } from './nova-api.js';
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

function simNova(world: World, owner: string | null): NovaPort {
  const nova = world.nova;
  const api = <T>(perform: () => T, extraMs = 0): Op<T> => novaCall(world, perform, extraMs);
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

export function simNotifier(world: World): NotifierPort {
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
