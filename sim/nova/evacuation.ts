import type { ComputeHost } from '../infra/compute-host.js';
import type { Instance } from '../instance.js';
import type { World } from '../world.js';
import type { EvacuateRequest, MigrationRecord } from './records.js';

/**
 * An accepted evacuation: migration `accepted` → (conductor, scheduler) `pre-migrating` with a claim on the
 * destination → (image fetch for local disks, spawn) `done`, the instance now on the destination. Nova keeps
 * the instance's host on the source until the spawn (that is the window LP#1764883 raced in).
 */
export function startEvacuation(world: World, inst: Instance, request: EvacuateRequest): MigrationRecord {
  const now = world.kernel.now;
  const source = world.hosts.get(inst.nova.host!)!;
  const mig = world.nova.migrationsTable.create(inst.uuid, source.name, now);
  const wasStopped = inst.nova.vmState === 'stopped';
  inst.nova.taskState = 'rebuilding';
  inst.nova.updatedAtMs = now;
  inst.milestones.evacuations++;
  if (inst.milestones.evacuateAcceptedAtMs === null) inst.milestones.evacuateAcceptedAtMs = now;
  noteMarkedDown(world, source.name);
  world.probe.evacuationAccepted(inst, source, now);
  if (world.tracing) world.emit('nova.evacuate.accepted', inst.name, { from: source.name, migration: mig.uuid });
  world.kernel.after(world.draw('nova', world.config.nova.rebuildPrepMs), () => claim(world, inst, mig, request, wasStopped));
  return mig;
}

function pickDestination(world: World, inst: Instance, source: ComputeHost, request: EvacuateRequest): ComputeHost | null {
  if (request.host === undefined) return world.nova.scheduler.select(inst, source);
  const host = world.hosts.get(request.host)!;
  return request.force || world.nova.scheduler.accepts(host, inst) ? host : null;
}

function fail(world: World, inst: Instance, mig: MigrationRecord, status: 'error' | 'failed', why: string): void {
  const now = world.kernel.now;
  world.nova.migrationsTable.set(mig, status, now);
  inst.nova.vmState = 'error';
  inst.nova.taskState = null;
  inst.nova.updatedAtMs = now;
  world.emit(`nova.evacuate.${status}`, inst.name, { why });
}

function claim(world: World, inst: Instance, mig: MigrationRecord, request: EvacuateRequest, wasStopped: boolean): void {
  const source = world.hosts.get(mig.sourceCompute)!;
  const dest = pickDestination(world, inst, source, request);
  if (!dest) return fail(world, inst, mig, 'error', 'No valid host was found.');
  const now = world.kernel.now;
  dest.allocate(inst);
  world.nova.scheduler.touch(dest);
  world.probe.claimed(dest, inst, now);
  mig.destCompute = dest.name;
  world.nova.migrationsTable.set(mig, 'pre-migrating', now);
  world.placeInNova(inst, dest);
  if (world.tracing) world.emit('nova.evacuate.claimed', inst.name, { to: dest.name });
  const needsImage = inst.spec.storage === 'local' && !dest.imageCache.has(inst.spec.image);
  const fetchMs = needsImage ? world.draw('nova', world.config.nova.imageFetchMs) : 0;
  if (fetchMs === 0) spawn(world, inst, mig, dest, wasStopped);
  else world.kernel.after(fetchMs, () => spawn(world, inst, mig, dest, wasStopped));
}

function spawn(world: World, inst: Instance, mig: MigrationRecord, dest: ComputeHost, wasStopped: boolean): void {
  if (inst.nova.taskState !== 'rebuilding' || inst.nova.host !== dest.name) return refuseStale(world, inst, mig, dest);
  if ((dest.alive && dest.novaCompute !== 'running') || dest.state === 'hung') {
    // The rebuild RPC waits in the destination's queue until its nova-compute consumes it again (after a crash
    // and restart, or when a frozen host thaws). If the host powers off or crashes first, it is lost (killDomains).
    dest.queuedRebuilds.push(() => spawn(world, inst, mig, dest, wasStopped));
    return;
  }
  if (!dest.alive || dest.novaCompute !== 'running') {
    dest.release(inst);
    world.nova.scheduler.touch(dest);
    return fail(world, inst, mig, 'failed', `destination ${dest.name} went away during the rebuild`);
  }
  const now = world.kernel.now;
  if (inst.spec.storage === 'local') {
    dest.imageCache.add(inst.spec.image);
    inst.milestones.dataLost = true;
  }
  inst.nova.taskState = null;
  inst.nova.vmState = wasStopped ? 'stopped' : 'active';
  inst.nova.powerState = wasStopped ? 4 : 1;
  inst.nova.updatedAtMs = now;
  world.nova.migrationsTable.set(mig, 'done', now);
  if (world.tracing) world.emit('nova.evacuate.done', inst.name, { to: dest.name, dataLost: inst.spec.storage === 'local' });
  if (!wasStopped) world.startDomain(inst, dest);
}

/**
 * A rebuild that waited in a stopped nova-compute's queue while the instance was evacuated again elsewhere: Nova's
 * `instance.save(expected_task_state=REBUILDING)` raises UnexpectedTaskStateError, so it is dropped instead of
 * starting the instance a second time.
 */
function refuseStale(world: World, inst: Instance, mig: MigrationRecord, dest: ComputeHost): void {
  world.nova.migrationsTable.set(mig, 'failed', world.kernel.now);
  if (inst.nova.host !== dest.name) {
    dest.release(inst);
    world.nova.scheduler.touch(dest);
  }
  world.emit('nova.evacuate.stale', inst.name, { to: dest.name, why: 'UnexpectedTaskStateError: evacuated again meanwhile' });
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
