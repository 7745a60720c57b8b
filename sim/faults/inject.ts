import type { FaultKind, FaultSpec } from '../scenario-spec.js';
import type { World } from '../world.js';
import { COMPOSITE, FAULTS, REAPPLIED_KINDS, UNDO } from './catalogue.js';
import { FaultHolds } from './holds.js';

/** Resolve a fault's targets: the whole pool, or `count` of it chosen by the seeded RNG. */
export function resolveTargets(world: World, fault: FaultSpec): string[] {
  const t = fault.target;
  if (!t) return [];
  const pool = t.onHosts ? serversOn(world, t.onHosts) : t.pool;
  if (t.count === undefined) return [...pool];
  return world.rng('faults').sample(pool, Math.min(t.count, pool.length)).sort();
}

/** Servers with a running guest on one of `hosts` now, in name order. */
function serversOn(world: World, hosts: readonly string[]): string[] {
  const names = new Set<string>();
  for (const h of hosts) for (const d of world.hosts.get(h)?.domains.values() ?? []) if (d.executing) names.add(d.instance.name);
  return [...names].sort();
}

/**
 * Undo kinds (power-restore, bmc-restore, …): a scenario that writes one restores its targets outright. A hang is
 * its own undo (a second hang is not a resume), so it is not one of them.
 */
const UNDO_KINDS = new Set<FaultKind>(Object.entries(UNDO).filter(([kind, undo]) => kind !== undo).map(([, undo]) => undo));

/** BMC, API and attrd faults only set a condition, so the ones still held are simply applied again after their undo. */
const REAPPLIED = REAPPLIED_KINDS;

/** A fault on the whole shared storage has no target; its hold is keyed on this name. */
const WHOLE = '*';
const holdTargets = (targets: string[]): string[] => (targets.length ? targets : [WHOLE]);
const applyTargets = (target: string): string[] => (target === WHOLE ? [] : [target]);

/** Apply a fault now, and schedule its undo if it has a duration. */
export function injectFault(world: World, fault: FaultSpec): string[] {
  const targets = resolveTargets(world, fault);
  const composite = COMPOSITE[fault.kind];
  if (composite) return injectParts(world, fault, targets, composite(fault));
  world.emit('fault', fault.kind, { targets, ...(fault.network ? { network: fault.network } : {}), ...(fault.durationMs ? { durationMs: fault.durationMs } : {}) });
  world.probe.faultChanged?.(fault, 'injected', targets, world.kernel.now);
  if (UNDO_KINDS.has(fault.kind)) for (const t of holdTargets(targets)) world.faultHolds.clear(FaultHolds.key(fault.kind, fault, t));
  FAULTS[fault.kind](world, fault, targets);
  const undo = UNDO[fault.kind];
  if (undo && fault.kind !== 'network-partition') {
    world.faultHolds.track(fault, holdRelease(world, fault, undo, targets));
    if (fault.durationMs !== undefined) world.kernel.after(fault.durationMs, () => undoInjectedFault(world, fault));
  }
  return targets;
}

/**
 * A composite fault (`tor-switch-failure`): its parts are injected on the targets it resolved to, each with its own
 * holds and undo; undoing the composite undoes its parts.
 */
function injectParts(world: World, fault: FaultSpec, targets: string[], parts: FaultSpec[]): string[] {
  world.emit('fault', fault.kind, { targets, ...(fault.durationMs ? { durationMs: fault.durationMs } : {}) });
  world.probe.faultChanged?.(fault, 'injected', targets, world.kernel.now);
  const resolved = parts.map((p) => ({ ...p, target: { pool: targets, text: fault.target?.text ?? targets.join(',') } }));
  for (const p of resolved) injectFault(world, p);
  world.faultHolds.track(fault, () => resolved.forEach((p) => undoInjectedFault(world, p)));
  return targets;
}

/**
 * Undo an injected fault now (its duration ran out, or `ihasim serve` was asked to heal it): release its holds and
 * restore the targets no other fault holds. False when it was undone already (the second call is a no-op).
 */
export function undoInjectedFault(world: World, fault: FaultSpec): boolean {
  return world.faultHolds.untrack(fault);
}

/** Take the fault's hold on each target; the returned function releases them and undoes what is no longer held. */
function holdRelease(world: World, fault: FaultSpec, undo: FaultKind, targets: string[]): () => void {
  const held = holdTargets(targets).map((t) => ({ t, key: FaultHolds.key(undo, fault, t) }));
  const holds = held.map(({ key }) => world.faultHolds.acquire(key, fault));
  return () => {
    const again: (() => void)[] = [];
    const released = held.filter(({ t, key }, i) => releaseRestores(world, fault, t, key, holds[i]!, again));
    undoFault(world, fault, undo, released.map(({ t }) => t));
    for (const apply of again) apply();
  };
}

/**
 * Release one target's hold; true when the target should be restored now. A BMC still held by another kind of
 * BMC fault is restored and that fault applied again (e.g. `broken` outlasting an `unreachable`).
 */
function releaseRestores(
  world: World, fault: FaultSpec, target: string, key: string, hold: ReturnType<FaultHolds['acquire']>, again: (() => void)[],
): boolean {
  const left = world.faultHolds.release(key, hold);
  if (left === null) return false;
  if (left.length === 0) return true;
  if (REAPPLIED.has(fault.kind)) {
    again.push(() => left.forEach((h) => FAULTS[h.fault.kind](world, h.fault, applyTargets(target))));
    return true;
  }
  world.emit('fault.still-held', fault.kind, { target, by: left.length });
  return false;
}

function undoFault(world: World, fault: FaultSpec, undo: FaultSpec['kind'], holdTargetsReleased: string[]): void {
  if (holdTargetsReleased.length === 0) return;
  const targets = holdTargetsReleased.flatMap(applyTargets);
  world.emit('fault.undo', fault.kind, { targets });
  world.probe.faultChanged?.(fault, 'healed', targets, world.kernel.now);
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
