import type { ComputeHost } from '../infra/compute-host.js';
import type { Instance } from '../instance.js';
import type { World } from '../world.js';
import { conductorHolds, rebuildCastLost } from '../faults/rebuild-seams.js';
import type { EvacuateRequest, MigrationRecord } from './records.js';

/**
 * One rebuild of an evacuation, from the API's cast to the destination's `finish_evacuation`. `consumedBy` is the
 * incarnation of the destination's nova-compute that took the RPC off its queue (null while it waits there): a
 * rebuild dies with that process, and nothing in Nova notices.
 */
export interface Rebuild {
  readonly inst: Instance;
  readonly mig: MigrationRecord;
  readonly request: EvacuateRequest;
  readonly wasStopped: boolean;
  /** The instance's evacuation count when this one was accepted: a later accept changes its task_state under it. */
  readonly generation: number;
  dest: ComputeHost | null;
  consumedBy: number | null;
}

/**
 * An accepted evacuation (`compute/api.py` `API.evacuate`): migration `accepted`, task_state `rebuilding`, and a
 * cast to the conductor, which schedules and casts `rebuild_instance` to the destination. There
 * (`compute/manager.py` `ComputeManager.rebuild_instance`) the claim sets the migration `pre-migrating`, the
 * rebuild spawns the guest, and only then `resource_tracker` `finish_evacuation` moves the instance's host and node
 * and sets the migration `done`. Until then Nova places the instance on the failed source.
 */
export function startEvacuation(world: World, inst: Instance, request: EvacuateRequest): MigrationRecord {
  const now = world.kernel.now;
  const source = world.hosts.get(inst.nova.host!)!;
  const mig = world.nova.migrationsTable.create(inst.uuid, source.name, now);
  if (request.host !== undefined) mig.destCompute = request.host;
  const wasStopped = inst.nova.vmState === 'stopped';
  inst.nova.taskState = 'rebuilding';
  inst.nova.updatedAtMs = now;
  inst.milestones.evacuations++;
  if (inst.milestones.evacuateAcceptedAtMs === null) inst.milestones.evacuateAcceptedAtMs = now;
  noteMarkedDown(world, source.name);
  world.probe.evacuationAccepted(inst, source, now);
  if (world.tracing) world.emit('nova.evacuate.accepted', inst.name, { from: source.name, migration: mig.uuid });
  const rebuild: Rebuild = { inst, mig, request, wasStopped, generation: inst.milestones.evacuations, dest: null, consumedBy: null };
  world.nova.rebuilds.add(rebuild);
  world.kernel.after(0, () => schedule(world, rebuild));
  return mig;
}

function pickDestination(world: World, inst: Instance, source: ComputeHost, request: EvacuateRequest): ComputeHost | null {
  if (request.host === undefined) return world.nova.scheduler.select(inst, source);
  const host = world.hosts.get(request.host)!;
  return request.force || world.nova.scheduler.accepts(host, inst) ? host : null;
}

/** nova-conductor `rebuild_instance`: the scheduler picks the destination and Placement allocates there. */
function schedule(world: World, r: Rebuild): void {
  if (conductorHolds(world, r, schedule)) return;
  const { inst, mig } = r;
  const dest = pickDestination(world, inst, world.hosts.get(mig.sourceCompute)!, r.request);
  if (!dest) {
    world.nova.rebuilds.delete(r);
    const now = world.kernel.now;
    world.nova.migrationsTable.set(mig, 'error', now);
    inst.nova.vmState = 'error';
    inst.nova.taskState = null;
    inst.nova.updatedAtMs = now;
    world.emit('nova.evacuate.error', inst.name, { why: 'No valid host was found.' });
    return;
  }
  dest.allocate(inst);
  world.nova.scheduler.touch(dest);
  world.probe.claimed(dest, inst, world.kernel.now);
  r.dest = dest;
  if (world.tracing) world.emit('nova.evacuate.scheduled', inst.name, { to: dest.name });
  if (rebuildCastLost(world, r, dest.name)) return;
  deliver(world, r);
}

/**
 * The `rebuild_instance` cast reaches the destination's queue on the message broker. A nova-compute that is not
 * consuming (stopped, crashed, held, frozen, cut from the controllers, or its host dead) leaves it there; it runs
 * when that nova-compute starts again or reconnects (`launchNovaCompute`, `World.connectivityChanged`), however late.
 */
function deliver(world: World, r: Rebuild): void {
  const dest = r.dest!;
  if (!consuming(world, dest)) {
    dest.queuedRebuilds.push(() => deliver(world, r));
    return;
  }
  consume(world, r, dest);
}

/** A nova-compute cut from the controllers (where the broker runs) cannot take messages off its queue. */
function consuming(world: World, dest: ComputeHost): boolean {
  return dest.alive && dest.novaCompute === 'running' && world.reachesControlPlane(dest.name);
}

/**
 * `rebuild_instance` on the destination: the claim (`_claim_existing_migration`: `dest_compute`, `pre-migrating`),
 * then `_do_rebuild_instance`'s `instance.save(expected_task_state=[REBUILDING])`. A rebuild that finds the
 * task_state no longer `rebuilding` (another rebuild finished first) is refused.
 */
function consume(world: World, r: Rebuild, dest: ComputeHost): void {
  r.consumedBy = world.nova.computeServices.get(dest.name)!.incarnation;
  const now = world.kernel.now;
  r.mig.destCompute = dest.name;
  world.nova.migrationsTable.set(r.mig, 'pre-migrating', now);
  if (world.tracing) world.emit('nova.evacuate.claimed', r.inst.name, { to: dest.name });
  if (r.inst.nova.taskState !== 'rebuilding') return refuse(world, r, 'UnexpectedTaskStateError: task_state is no longer rebuilding');
  world.kernel.after(world.draw('nova', world.config.nova.rebuildPrepMs), () => whenRunning(world, r, spawn));
}

/**
 * Go on with a consumed rebuild if the nova-compute that consumed it still runs: a frozen host resumes it at thaw,
 * a dead process has lost it. A lost rebuild writes nothing: the migration stays `pre-migrating`, the instance
 * `rebuilding` on the failed source, and nothing in Nova retries it.
 */
function whenRunning(world: World, r: Rebuild, step: (world: World, r: Rebuild) => void): void {
  const dest = r.dest!;
  const svc = world.nova.computeServices.get(dest.name)!;
  if (dest.novaCompute !== 'running' || svc.incarnation !== r.consumedBy) {
    if (world.tracing) world.emit('nova.evacuate.lost', r.inst.name, { on: dest.name });
    return;
  }
  if (dest.state === 'hung') {
    dest.queuedRebuilds.push(() => whenRunning(world, r, step));
    return;
  }
  step(world, r);
}

/**
 * `_rebuild_default_impl`: `REBUILDING` → `REBUILD_BLOCK_DEVICE_MAPPING` → `REBUILD_SPAWNING`, each save expecting
 * the previous state. A second evacuate accepted since this rebuild began reset the task_state to `rebuilding`, so
 * the next save raises UnexpectedTaskStateError before the guest is spawned. Otherwise `driver.spawn` (the image
 * download for local disks happens in it) starts the guest, and the final save
 * (`expected_task_state=[REBUILD_SPAWNING]`) fails the same way if another evacuate was accepted meanwhile: the
 * guest then runs although Nova errors this rebuild out.
 */
function spawn(world: World, r: Rebuild): void {
  const { inst } = r;
  const dest = r.dest!;
  if (preempted(r)) return refuse(world, r, 'UnexpectedTaskStateError: evacuated again meanwhile');
  const needsImage = inst.spec.storage === 'local' && !dest.imageCache.has(inst.spec.image);
  const fetchMs = needsImage ? world.draw('nova', world.config.nova.imageFetchMs) : 0;
  if (fetchMs === 0) guestSpawned(world, r);
  else world.kernel.after(fetchMs, () => whenRunning(world, r, guestSpawned));
}

/** `driver.spawn` done (after the image download, for local disks): the guest starts, then the final save. */
function guestSpawned(world: World, r: Rebuild): void {
  const { inst } = r;
  const dest = r.dest!;
  if (inst.spec.storage === 'local') {
    dest.imageCache.add(inst.spec.image);
    inst.milestones.dataLost = true;
  }
  if (!r.wasStopped) world.startDomain(inst, dest);
  if (preempted(r)) return refuse(world, r, 'UnexpectedTaskStateError: evacuated again while spawning');
  finishEvacuation(world, r);
}

function preempted(r: Rebuild): boolean {
  return r.inst.milestones.evacuations !== r.generation || r.inst.nova.taskState !== 'rebuilding';
}

/** `resource_tracker` `finish_evacuation`: the instance moves to the destination, then the migration is `done`. */
function finishEvacuation(world: World, r: Rebuild): void {
  const { inst } = r;
  const dest = r.dest!;
  const now = world.kernel.now;
  world.nova.rebuilds.delete(r);
  world.placeInNova(inst, dest);
  inst.nova.taskState = null;
  inst.nova.vmState = r.wasStopped ? 'stopped' : 'active';
  inst.nova.powerState = r.wasStopped ? 4 : 1;
  inst.nova.updatedAtMs = now;
  world.nova.migrationsTable.set(r.mig, 'done', now);
  if (world.tracing) world.emit('nova.evacuate.done', inst.name, { to: dest.name, dataLost: inst.spec.storage === 'local' });
}

/**
 * An UnexpectedTaskStateError on the destination goes through `_error_out_instance_on_exception`: vm_state ERROR
 * (`_set_instance_obj_error_state`, task_state left as it is: `reverts_task_state` does not revert a preempted
 * task), the migration `failed`, and the destination's allocation removed (`delete_allocation_for_evacuated_instance`)
 * — here only if Nova does not place the instance there by now. The instance may well be running elsewhere.
 */
function refuse(world: World, r: Rebuild, why: string): void {
  const { inst } = r;
  const dest = r.dest!;
  const now = world.kernel.now;
  world.nova.rebuilds.delete(r);
  world.nova.migrationsTable.set(r.mig, 'failed', now);
  inst.nova.vmState = 'error';
  inst.nova.updatedAtMs = now;
  if (inst.nova.host !== dest.name && !dest.domains.has(inst)) {
    dest.release(inst);
    world.nova.scheduler.touch(dest);
  }
  world.emit('nova.evacuate.stale', inst.name, { to: dest.name, why });
}

/** Whether a rebuild of `inst` can still finish: waiting in a queue, or consumed by a nova-compute still running. */
export function rebuildAlive(world: World, r: Rebuild): boolean {
  if (r.consumedBy === null) return true;
  const dest = r.dest!;
  return dest.novaCompute === 'running' && world.nova.computeServices.get(dest.name)!.incarnation === r.consumedBy;
}

/** When Nova began treating `host` as down: forced down now, or its heartbeat expiry (for the phase breakdown). */
function noteMarkedDown(world: World, host: string): void {
  const inc = world.incidents.current(host);
  if (!inc || inc.markedDownAtMs !== null) return;
  const svc = world.nova.computeServices.get(host)!;
  const seen = svc.lastSeenUp(world.kernel.now);
  const expiry = seen === null ? world.kernel.now : seen + world.heartbeat.serviceDownTimeMs;
  inc.markedDownAtMs = svc.forcedDown ? Math.min(world.kernel.now, Math.max(expiry, inc.faultAtMs)) : Math.min(world.kernel.now, expiry);
}
