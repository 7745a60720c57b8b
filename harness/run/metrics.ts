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
  const recovered = outcomes.filter((o) => o.outcome === 'recovered' || o.outcome === 'recovered-data-lost');
  let resetLoops = 0;
  for (const inst of world.instances.values()) if (inst.domains.some((d) => d.resets >= 2)) resetLoops++;
  return {
    recovery: recoveryStats(recovered.map((o) => o.downtimeMs!)),
    floorMs: Math.round(floorMs(world)),
    instancesTotal: world.instances.size,
    instancesAffected: outcomes.filter((o) => o.outcome !== 'unaffected' && o.outcome !== 'never-placed').length,
    instancesLost: outcomes.filter((o) => o.outcome === 'not-recovered').length,
    instancesNeverPlaced: outcomes.filter((o) => o.outcome === 'never-placed').length,
    dataLost: outcomes.filter((o) => o.outcome === 'recovered-data-lost').length,
    falseFences: world.incidents.all.filter((i) => i.falseFence).length,
    resetLoops,
    evacuations: world.nova.migrationsTable.all().length,
    events: world.kernel.processed,
    hostsLeftDisabled: hostsLeftDisabled(world),
    operatorActions,
    novaApiCalls: world.novaApiCalls(),
  };
}
