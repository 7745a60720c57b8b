import type { Instance } from '../instance.js';
import type { World } from '../world.js';
import { NovaApiError, type AggregateRecord } from './records.js';

/**
 * The admin server actions a recovery design may call beside evacuate (Masakari, RHOSO InstanceHA): lock,
 * unlock, os-resetState, os-stop; and aggregate `add_host`. Each with Nova's checks and refusals; the caller is
 * an admin (the designs' service users are), which matters for locks.
 */

/** How long nova-compute takes to stop a guest it was cast `stop_instance` for (a clean ACPI shutdown). */
const STOP_GUEST_MS = 10_000;

export function instanceOr404(world: World, uuid: string): Instance {
  const inst = world.instances.get(uuid);
  if (!inst) throw new NovaApiError(404, `Instance ${uuid} could not be found.`);
  return inst;
}

/**
 * compute/api.py `API.lock`: an owner relocking a locked server changes nothing; an admin's lock sets
 * `locked_by=admin`; the reason is kept in system_metadata only when given. Lock itself refuses nothing.
 */
export function lockInstance(world: World, uuid: string, reason: string | undefined, asOwner = false): void {
  const inst = instanceOr404(world, uuid);
  if (inst.nova.locked && asOwner) return;
  inst.nova.locked = true;
  inst.nova.lockedBy = asOwner ? 'owner' : 'admin';
  if (reason) inst.nova.lockedReason = reason;
  touched(world, inst, 'nova.server.lock', { reason: reason ?? null });
}

/**
 * compute/api.py `API.unlock`: clears the flag, `locked_by` and the reason. An admin may lift an owner's lock
 * (lock_server.py `_unlock` asks `unlock:unlock_override`, which admins have by default).
 */
export function unlockInstance(world: World, uuid: string): void {
  const inst = instanceOr404(world, uuid);
  inst.nova.locked = false;
  inst.nova.lockedBy = null;
  inst.nova.lockedReason = null;
  touched(world, inst, 'nova.server.unlock', {});
}

/**
 * api/openstack/compute/admin_actions.py `AdminActionsController._reset_state`: vm_state becomes `active` or
 * `error`, task_state is cleared, whatever they were; nothing else changes (a rebuild in flight goes on).
 */
export function resetInstanceState(world: World, uuid: string, state: 'error' | 'active'): void {
  const inst = instanceOr404(world, uuid);
  inst.nova.vmState = state;
  inst.nova.taskState = null;
  touched(world, inst, 'nova.server.reset-state', { state });
}

/**
 * compute/api.py `API.stop`, its decorators in order: `check_instance_lock` (a locked server refuses a non-admin
 * with 409; admins pass), `check_instance_host` (no host: 409 InstanceNotReady), `check_instance_state(vm_state=
 * [ACTIVE, ERROR])` with task_state None (409 InstanceInvalidState). Then `force_stop` sets task_state
 * `powering-off` and casts `stop_instance` to the host's nova-compute: a nova-compute that is not running or cut
 * from the bus takes it when it comes back (the cast waits on the broker), like a rebuild cast.
 */
export function stopInstance(world: World, uuid: string, asAdmin = true): void {
  const inst = instanceOr404(world, uuid);
  if (inst.nova.locked && !asAdmin) throw new NovaApiError(409, `Instance ${uuid} is locked`);
  if (inst.nova.host === null) throw new NovaApiError(409, `Instance ${uuid} is not ready`);
  const { vmState, taskState } = inst.nova;
  if (vmState !== 'active' && vmState !== 'error') {
    throw new NovaApiError(409, `Cannot 'stop' instance ${uuid} while it is in vm_state ${vmState}`);
  }
  if (taskState !== null) throw new NovaApiError(409, `Cannot 'stop' instance ${uuid} while it is in task_state ${taskState}`);
  inst.nova.taskState = 'powering-off';
  touched(world, inst, 'nova.server.stop', { host: inst.nova.host });
  const host = world.hosts.get(inst.nova.host)!;
  const stop = (): void => {
    world.kernel.after(STOP_GUEST_MS, () => finishStop(world, inst, host.name));
  };
  if (host.novaCompute === 'running' && world.reachesControlPlane(host.name)) stop();
  else host.queuedRebuilds.push(stop);
}

/** compute/manager.py `ComputeManager.stop_instance`: the guest is shut down, vm_state `stopped`, power_state 4. */
function finishStop(world: World, inst: Instance, hostName: string): void {
  if (inst.nova.host !== hostName || inst.nova.taskState !== 'powering-off') return;
  const d = inst.domains.find((x) => x.host.name === hostName);
  if (d) world.destroyDomain(d, 'stopped by nova');
  inst.nova.vmState = 'stopped';
  inst.nova.powerState = 4;
  touched(world, inst, 'nova.server.stopped', { host: hostName });
  inst.nova.taskState = null;
}

function touched(world: World, inst: Instance, event: string, fields: Record<string, unknown>): void {
  inst.nova.updatedAtMs = world.kernel.now;
  world.emit(event, inst.name, fields);
}

/**
 * compute/api.py `AggregateAPI.add_host_to_aggregate`: the host must have a compute service (404
 * ComputeHostNotFound), the aggregate must exist (404 AggregateNotFound), the host must not be in it already
 * (409 AggregateHostExists, aggregates.py `_add_host`), and `is_safe_to_update_az` refuses a host whose
 * availability zone would change (409): the model keeps every host in the AZ of its scenario.
 */
export function addHostToAggregate(world: World, aggregates: AggregateRecord[], aggregateId: number, hostName: string): AggregateRecord {
  if (!world.nova.computeServices.has(hostName)) throw new NovaApiError(404, `Compute host ${hostName} could not be found.`);
  const agg = aggregates.find((a) => a.id === aggregateId);
  if (!agg) throw new NovaApiError(404, `Aggregate ${aggregateId} could not be found.`);
  if (agg.hosts.includes(hostName)) throw new NovaApiError(409, `Aggregate ${aggregateId} already has host ${hostName}.`);
  const az = world.hosts.get(hostName)!.spec.az;
  if (agg.az !== null && agg.az !== az) {
    throw new NovaApiError(409, `Cannot add host ${hostName} in aggregate ${aggregateId}: it is in availability zone ${az}, the aggregate in ${agg.az}`);
  }
  const added = world.nova.addedAggregateHosts.get(agg.name) ?? [];
  added.push(hostName);
  world.nova.addedAggregateHosts.set(agg.name, added);
  world.emit('nova.aggregate.add-host', agg.name, { host: hostName });
  const host = world.hosts.get(hostName)!;
  world.nova.scheduler.touch(host);
  return { ...agg, hosts: [...agg.hosts, hostName] };
}
