import type { Instance } from '../../sim/instance.js';
import type { World } from '../../sim/world.js';
import type { InstanceOutcome, RunMetrics } from '../../reports/report-types.js';
import { typical } from '../../sim/kernel/rng.js';
import { hostsLeftDisabled } from './operator-actions.js';

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export function recoveryStats(downtimes: readonly number[]): RunMetrics['recovery'] {
  // A plain array and a comparator, not a Float64Array: a typed array of this size gets an off-heap buffer, which
  // measured slower once per seed inside a run than the comparator sort it saves.
  const sorted = [...downtimes].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length ? sorted[sorted.length - 1]! : null,
    meanMs: sorted.length ? Math.round(sum / sorted.length) : null,
  };
}

/**
 * The floor of downtime with this configuration: a monitor tick right at the failure (detection = monitor
 * timeout), the power device's wait and typical action, and a typical guest boot.
 */
export function floorMs(world: World): number {
  const c = world.config;
  const ipmi = c.fencing.ipmi;
  return c.pacemaker.remoteMonitorTimeoutMs + ipmi.powerWaitMs + typical(ipmi.actionTimeMs) + typical(c.guest.bootTimeMs);
}

export function runMetrics(world: World, outcomes: readonly InstanceOutcome[], operatorActions: number): RunMetrics {
  // One pass over the outcomes for every count (this runs once per seed of `--seeds N`).
  const recovered: number[] = [];
  let affected = 0;
  let lost = 0;
  let neverPlaced = 0;
  let dataLost = 0;
  for (const o of outcomes) {
    if (o.outcome === 'recovered' || o.outcome === 'recovered-data-lost') recovered.push(o.downtimeMs!);
    if (o.outcome === 'recovered-data-lost') dataLost++;
    if (o.outcome === 'not-recovered') lost++;
    if (o.outcome === 'never-placed') neverPlaced++;
    else if (o.outcome !== 'unaffected') affected++;
  }
  let resetLoops = 0;
  for (const inst of world.instances.values()) if (inResetLoop(inst)) resetLoops++;
  let falseFences = 0;
  for (const i of world.incidents.all) if (i.falseFence) falseFences++;
  return {
    recovery: recoveryStats(recovered),
    floorMs: Math.round(floorMs(world)),
    instancesTotal: world.instances.size,
    instancesAffected: affected,
    instancesLost: lost,
    instancesNeverPlaced: neverPlaced,
    dataLost,
    falseFences,
    resetLoops,
    evacuations: world.nova.migrationsTable.all().length,
    events: world.kernel.processed,
    hostsLeftDisabled: hostsLeftDisabled(world),
    operatorActions,
    novaApiCalls: world.novaApiCalls(),
  };
}

/** A guest reset by its watchdog at least twice: it keeps failing to come up. */
function inResetLoop(inst: Instance): boolean {
  for (const d of inst.domains) if (d.resets >= 2) return true;
  return false;
}
