import type { Rebuild } from '../nova/evacuation.js';
import type { World } from '../world.js';

/**
 * A rebuild the message bus or Nova's control services lost: the migration stays `accepted`, the instance
 * `rebuilding` on its failed source, and nothing in Nova retries it (operator: `nova reset-state --active`, then
 * evacuate again). The run reports it as `rebuild-lost`.
 */
function lose(world: World, r: Rebuild, why: string): void {
  world.nova.rebuilds.delete(r);
  world.emit('nova.evacuate.lost', r.inst.name, { why });
}

/**
 * nova-conductor `rebuild_instance` (nova/conductor/manager.py `ComputeTaskManager.rebuild_instance`) as the seam
 * faults change it; true when the conductor does not go on now (`go(world, r)` runs later, or the rebuild is lost).
 * - `nova-conductor-down`: the API's cast waits on the conductor's queue and runs when a conductor is back.
 * - `nova-scheduler-down`: `select_destinations` is an RPC call (nova/scheduler/rpcapi.py, `call_monitor_timeout=
 *   rpc_response_timeout`) nobody answers: MessagingTimeout, which `rebuild_instance` does not catch (it handles only
 *   NoValidHost, UnsupportedPolicyException, AllocationUpdateFailed…), so the migration is never set to `error` and
 *   the instance stays `rebuilding`. A scheduler back within the timeout answers the queued call. A forced host
 *   skips the scheduler.
 */
export function conductorHolds(world: World, r: Rebuild, go: (world: World, r: Rebuild) => void): boolean {
  const faults = world.controlFaults;
  if (faults.conductorDown) {
    faults.conductorWaiters.push(() => go(world, r));
    world.emit('nova.evacuate.waits-for-conductor', r.inst.name);
    return true;
  }
  if (!faults.schedulerDown || (r.request.host !== undefined && r.request.force)) return false;
  let settled = false;
  const timer = world.kernel.after(world.config.nova.rpcTimeoutMs, () => {
    if (settled) return;
    settled = true;
    lose(world, r, 'MessagingTimeout: select_destinations (nova-scheduler down)');
  });
  faults.schedulerWaiters.push(() => {
    if (settled) return;
    settled = true;
    world.kernel.cancel(timer);
    go(world, r);
  });
  return true;
}

/** `rebuild-rpc-lost`: the conductor's `rebuild_instance` cast to `dest` is dropped by the bus (true: it was). */
export function rebuildCastLost(world: World, r: Rebuild, dest: string): boolean {
  const casts = world.controlFaults.rebuildCasts;
  if (casts.idle || !casts.takes(dest, () => world.rng('faults'))) return false;
  lose(world, r, `rebuild_instance cast to ${dest} lost by the message bus`);
  return true;
}
