import type { FaultSpec } from '../scenario-spec.js';
import type { World } from '../world.js';
import { FAULTS, UNDO } from './catalogue.js';

/** Resolve a fault's targets: the whole pool, or `count` of it chosen by the seeded RNG. */
export function resolveTargets(world: World, fault: FaultSpec): string[] {
  const t = fault.target;
  if (!t) return [];
  if (t.count === undefined) return [...t.pool];
  return world.rng('faults').sample(t.pool, t.count).sort();
}

/** Apply a fault now, and schedule its undo if it has a duration. */
export function injectFault(world: World, fault: FaultSpec): string[] {
  const targets = resolveTargets(world, fault);
  world.emit('fault', fault.kind, { targets, ...(fault.network ? { network: fault.network } : {}), ...(fault.durationMs ? { durationMs: fault.durationMs } : {}) });
  FAULTS[fault.kind](world, fault, targets);
  const undo = UNDO[fault.kind];
  if (fault.durationMs !== undefined && undo && fault.kind !== 'network-partition') {
    world.kernel.after(fault.durationMs, () => undoFault(world, fault, undo, targets));
  }
  return targets;
}

function undoFault(world: World, fault: FaultSpec, undo: FaultSpec['kind'], targets: string[]): void {
  world.emit('fault.undo', fault.kind, { targets });
  if (fault.kind === 'host-hang') {
    for (const n of targets) world.hostEvent(world.hosts.get(n)!, 'UNHANG');
    return;
  }
  FAULTS[undo](world, { ...fault, kind: undo }, targets);
}

/** Schedule every fault of the scenario at its time. */
export function scheduleFaults(world: World, faults: readonly FaultSpec[]): void {
  for (const f of faults) world.kernel.at(f.atMs, () => injectFault(world, f));
}
