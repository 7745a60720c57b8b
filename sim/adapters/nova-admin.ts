import type { Op } from '../kernel/process.js';
import type { NovaAdminPort } from '../recovery/design-ports.js';
import type { World } from '../world.js';
import { callerController } from './caller.js';
import { disableRpcMs, novaCall } from './nova-api.js';
import { pollUntilServiceOff } from './nova-service-poll.js';

/**
 * NovaAdminPort on the simulated Nova (sim/nova): every call pays the API queue and the `nova-api-*` /
 * `keystone-token-expired` faults (nova-api.ts) and meets Nova's refusals as NovaApiError. The caller is an admin.
 */
export function simNovaAdmin(world: World): NovaAdminPort {
  const nova = world.nova;
  const api = <T>(perform: () => T, extraMs = 0): Op<T> => novaCall(world, perform, extraMs);
  return {
    services: (filter) => api(() => nova.services(filter ?? {})),
    pollUntilServiceOff: (host, gapMs, deadlineMs) => pollUntilServiceOff(world, host, gapMs, deadlineMs),
    // A force-down by fence_compute is a step of the fencing operation the DC started: judged there.
    forceDown: (host, down) => api(() => nova.forceDown(host, 'nova-compute', down)),
    disable: (host, reason) => api(() => nova.disable(host, 'nova-compute', reason), disableRpcMs(world, host)),
    enable: (host) => api(() => nova.enable(host, 'nova-compute'), disableRpcMs(world, host)),
    servers: (host) => api(() => nova.instances({ host })),
    server: (uuid) => api(() => nova.server(uuid)),
    evacuate: (uuid, request) => api(() => {
      // Judged by `quorum-respected` against the controller the calling process runs on.
      world.probe.recoveryAction('evacuate', world.instances.get(uuid)?.name ?? uuid, callerController(world), world.kernel.now);
      return nova.evacuate(uuid, request);
    }),
    lock: (uuid, reason) => api(() => nova.lock(uuid, reason)),
    unlock: (uuid) => api(() => nova.unlock(uuid)),
    resetState: (uuid, state) => api(() => nova.resetState(uuid, state)),
    stop: (uuid) => api(() => nova.stop(uuid, true)),
    migrations: (filter) => api(() => nova.migrations(filter)),
    aggregates: () => api(() => nova.aggregates()),
    addHostToAggregate: (id, host) => api(() => nova.addHostToAggregate(id, host)),
    flavors: () => api(() => nova.flavors()),
    images: () => api(() => nova.images()),
    hypervisors: () => api(() => nova.hypervisors()),
  };
}
