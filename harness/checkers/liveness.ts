import type { World } from '../../sim/world.js';
import type { FaultSpec } from '../../sim/scenario-spec.js';
import type { InstanceOutcome, Violation } from '../../reports/report-types.js';
import { formatMs } from '../../reports/format-duration.js';
import { unexcusedReasons } from '../check/defects.js';

/**
 * The reasons the scenario allows, less those a defect takes away (harness/check/defects.ts `unexcused`: a defect
 * that is the correct logic judged without an excuse the scenario grants).
 */
function allowedReasons(world: World): Set<string> {
  const unexcused = unexcusedReasons(world.defects);
  return new Set(world.spec.expect.allowedReasons.filter((r) => !unexcused.has(r)));
}

/** When the last fault has healed: its undo (duration) or, for a kernel panic, its kdump reboot. */
export function healTime(faults: readonly FaultSpec[]): number {
  let last = 0;
  for (const f of faults) last = Math.max(last, f.atMs + (f.durationMs ?? f.kdumpRebootMs ?? 0));
  return last;
}

/** Time after which liveness can be judged: the last fault healed plus the settle time. */
export function settledAt(world: World): number {
  return healTime(world.spec.faults) + world.config.run.settleMs;
}

/**
 * `recovery-bounded`: every failed opted-in instance serves again within the bound, unless the reason it did not is
 * one the scenario allows (`expect.allowedReasons`). A reason is never an excuse by itself: a rack whose BMCs die
 * with it loses its instances, and a scenario that accepts that must say so.
 */
export function checkRecoveryBound(world: World, outcomes: readonly InstanceOutcome[], boundMs: number): Violation[] {
  const end = world.kernel.now;
  const allowed = allowedReasons(world);
  const out: Violation[] = [];
  for (const o of outcomes) {
    if (o.failedAtMs === null) continue;
    const earlier = world.instancesByName.get(o.name)!.milestones.longestEarlierOutageMs;
    const late = (o.downtimeMs !== null && o.downtimeMs > boundMs) || earlier > boundMs;
    const missing = o.outcome === 'not-recovered' && !allowed.has(o.reason ?? '') && o.failedAtMs + boundMs <= end;
    if (!late && !missing) continue;
    const longest = Math.max(o.downtimeMs ?? 0, earlier);
    const why = late ? `recovered after ${formatMs(longest)}` : `not recovered (${o.reason}) ${formatMs(end - o.failedAtMs)} after failing`;
    out.push({
      invariant: 'recovery-bounded', kind: 'liveness', atMs: o.failedAtMs + boundMs, entities: [o.name, o.fromHost ?? '?'],
      message: `${o.name} ${why}; bound ${formatMs(boundMs)}`,
    });
  }
  return out;
}

/**
 * `convergence`, judged at the end if the run lasted past the settle time: Nova's host for each instance is
 * where its one executing domain runs, and no healthy host is left forced down or disabled by recovery.
 */
export function checkConvergence(world: World): Violation[] {
  const now = world.kernel.now;
  if (now < settledAt(world)) return [];
  const out: Violation[] = [];
  for (const inst of world.instances.values()) {
    if (inst.executingCount() !== 1) continue;
    const where = inst.executingHost()!;
    if (inst.nova.host !== where) {
      out.push({ invariant: 'convergence', kind: 'liveness', atMs: now, entities: [inst.name, where, inst.nova.host ?? '-'],
        message: `Nova places ${inst.name} on ${inst.nova.host} but it executes on ${where}` });
    }
  }
  for (const h of world.hostList) {
    const svc = world.nova.computeServices.get(h.name)!;
    const healthy = h.alive && h.novaCompute === 'running' && world.reachesControlPlane(h.name);
    const leftDown = svc.forcedDown || (svc.status === 'disabled' && (svc.disabledReason ?? '').startsWith('fence_compute'));
    if (healthy && leftDown) {
      out.push({ invariant: 'convergence', kind: 'liveness', atMs: now, entities: [h.name],
        message: `healthy host ${h.name} is left ${svc.forcedDown ? 'forced down' : 'disabled'} by recovery` });
    }
  }
  return out;
}

/**
 * `recovery-bounded` for property checking (the liveness phase of TigerBeetle's VOPR): faults may overlap in any
 * way, so the bound runs from the later of the failure and the moment the last fault healed.
 */
export function checkRecoveryAfterHeal(world: World, outcomes: readonly InstanceOutcome[], healedAtMs: number, boundMs: number): Violation[] {
  const end = world.kernel.now;
  const allowed = allowedReasons(world);
  const out: Violation[] = [];
  for (const o of outcomes) {
    if (o.failedAtMs === null) continue;
    const from = Math.max(o.failedAtMs, healedAtMs);
    const late = o.recoveredAtMs !== null && o.recoveredAtMs - from > boundMs;
    const missing = o.outcome === 'not-recovered' && !allowed.has(o.reason ?? '') && from + boundMs <= end;
    if (!late && !missing) continue;
    const why = late ? `recovered ${formatMs(o.recoveredAtMs! - from)} after the faults healed` : `not recovered (${o.reason})`;
    out.push({ invariant: 'recovery-bounded', kind: 'liveness', atMs: from + boundMs, entities: [o.name, o.fromHost ?? '?'], message: `${o.name} ${why}; bound ${formatMs(boundMs)}` });
  }
  return out;
}

/** Names listed in a `servers-placed` violation; the report's `instances` list has every one. */
const NAMES_SHOWN = 5;

/**
 * `servers-placed`: every server of the scenario boots at start. A server no host can take (Nova's NoValidHost)
 * never runs, so no failure can be measured on it and it would otherwise read as "unaffected". One violation per
 * run, at time 0, naming the first few.
 */
export function checkServersPlaced(outcomes: readonly InstanceOutcome[]): Violation[] {
  const unplaced = outcomes.filter((o) => o.outcome === 'never-placed').map((o) => o.name);
  if (unplaced.length === 0) return [];
  const shown = unplaced.slice(0, NAMES_SHOWN).join(', ') + (unplaced.length > NAMES_SHOWN ? `, … (${unplaced.length - NAMES_SHOWN} more)` : '');
  return [{
    invariant: 'servers-placed', kind: 'liveness', atMs: 0, entities: unplaced.slice(0, NAMES_SHOWN),
    message: `${unplaced.length} server(s) could not be placed at start (no valid host: not enough capacity or no host matches): ${shown}`,
  }];
}
