import { call, waitFor, type Op } from '../kernel/process.js';
import type { AttrdPort } from '../recovery/ports.js';
import type { World } from '../world.js';

/** AttrdPort on the model's attrd (sim/pacemaker/attrd.ts), with the `attrd-*` faults. */
export function simAttrd(world: World): AttrdPort {
  const attrd = world.pacemaker.attrd;
  return {
    get: (node, name) => call(0, () => attrd.get(node, name)),
    set: (node, name, value) => call(50, () => updateAttribute(world, node, name, value)),
    changed: () => waitFor(attrd.signal),
    // `attrd_updater --query --all --name`: the local copy, read at once (no event of its own, which also keeps
    // the Pacemaker instance-HA design's draws and events where they were before it used a port for it).
    entries: (name) => readNow(() => attrd.entries(name)),
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

/** An Op that answers without yielding: a read of state local to the caller. */
export function* readNow<T>(read: () => T): Op<T> {
  return read();
}
