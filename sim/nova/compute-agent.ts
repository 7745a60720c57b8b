import type { ComputeHost } from '../infra/compute-host.js';
import type { Domain } from '../infra/domain.js';
import type { Instance } from '../instance.js';
import type { World } from '../world.js';

/**
 * What nova-compute does on a hypervisor: start up (clean up evacuated instances first, then init the rest),
 * notice guests that stopped by themselves, and the power-state sync that only ever logs orphans.
 */
export function launchNovaCompute(world: World, host: ComputeHost): void {
  // `held`: the unfencing wrapper keeps it waiting until the cluster unfences the node (World.releaseNovaCompute).
  if (!host.alive || host.novaCompute !== 'stopped') return;
  host.novaCompute = 'starting';
  world.emit('nova-compute.starting', host.name);
  world.kernel.after(world.draw('nova', world.config.nova.computeStartMs), () => started(world, host));
}

function started(world: World, host: ComputeHost): void {
  if (!host.alive || host.novaCompute !== 'starting') return;
  destroyEvacuated(world, host);
  initInstances(world, host);
  host.novaCompute = 'running';
  world.nova.computeServices.get(host.name)!.setRunning(world.kernel.now, true, world.reachesControlPlane(host.name));
  world.nova.scheduler.touch(host);
  world.emit('nova-compute.running', host.name);
  for (const rebuild of host.queuedRebuilds.splice(0)) rebuild();
}

/** `_destroy_evacuated_instances`: the only thing that ever kills an orphaned guest on a returning source. */
function destroyEvacuated(world: World, host: ComputeHost): void {
  const now = world.kernel.now;
  for (const mig of world.nova.pendingCleanup(host.name)) {
    const inst = world.instances.get(mig.instanceUuid)!;
    const domain = host.domains.get(inst);
    if (domain) world.destroyDomain(domain, 'evacuated-cleanup');
    host.release(inst);
    world.nova.migrationsTable.set(mig, 'completed', now);
    world.emit('nova.evacuate.completed', inst.name, { source: host.name, destroyed: domain !== undefined });
  }
}

/**
 * `init_host`/`_init_instance` for what Nova still places here. The evacuated instances `destroyEvacuated` handled
 * are no longer allocated here; an instance still `rebuilding` that no such migration covers "failed to rebuild
 * correctly" and goes to ERROR.
 */
function initInstances(world: World, host: ComputeHost): void {
  const resume = world.config.nova.resumeGuestsStateOnHostBoot;
  const racy = world.hasDefect('source-restart-skips-pre-migrating');
  for (const inst of host.allocations) {
    if (inst.nova.host !== host.name || host.domains.has(inst)) continue;
    const inFlight = inst.nova.taskState === 'rebuilding';
    if (inFlight && !racy) {
      errorOut(world, inst, host);
      continue;
    }
    if (inst.nova.vmState !== 'active') continue;
    if (resume || inFlight) {
      world.startDomain(inst, host);
      world.emit('nova-compute.resume-guest', inst.name, { host: host.name });
    } else {
      markStopped(world, inst.uuid, host);
    }
  }
}

function errorOut(world: World, inst: Instance, host: ComputeHost): void {
  if (inst.nova.vmState !== 'active' && inst.nova.vmState !== 'stopped') return;
  inst.nova.vmState = 'error';
  inst.nova.taskState = null;
  inst.nova.updatedAtMs = world.kernel.now;
  world.emit('nova.instance.error', inst.name, { host: host.name, why: 'failed to rebuild correctly (_init_instance)' });
}

function markStopped(world: World, uuid: string, host: ComputeHost): void {
  const inst = world.instances.get(uuid)!;
  if (inst.nova.host !== host.name || inst.nova.vmState !== 'active') return;
  inst.nova.vmState = 'stopped';
  inst.nova.powerState = 4;
  inst.nova.updatedAtMs = world.kernel.now;
  world.emit('nova.instance.stopped', inst.name, { host: host.name });
}

/** libvirt's STOPPED lifecycle event reaches Nova after a delay; Nova then marks the instance stopped. */
export function reportGuestStopped(world: World, domain: Domain): void {
  const host = domain.host;
  world.kernel.after(world.config.nova.stoppedEventDelayMs, () => {
    if (host.novaCompute !== 'running' || !host.alive) return;
    if (host.domains.get(domain.instance) !== domain || domain.state !== 'shutoff') return;
    markStopped(world, domain.instance.uuid, host);
  });
}

/** Orphans (domains Nova places elsewhere) are only counted by `_sync_power_states`, at its next period. */
export function noteOrphans(world: World, host: ComputeHost): void {
  const orphans = [...host.domains.values()].filter((d) => d.instance.nova.host !== host.name && d.executing);
  if (orphans.length === 0) return;
  const period = world.config.nova.syncPowerStateIntervalMs;
  const next = Math.ceil((world.kernel.now + 1) / period) * period;
  world.kernel.at(next, () => {
    world.emit('nova.sync-power-states.mismatch', host.name, { orphans: orphans.map((d) => d.instance.name), note: 'logged only: nothing is killed' });
  });
}
