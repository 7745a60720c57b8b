import type { Phases, RunReport } from '../../reports/report-types.js';

export const PHASE_NAMES = ['detectMs', 'fenceMs', 'markDownMs', 'evacuateMs', 'bootMs'] as const satisfies readonly (keyof Phases)[];
export type PhaseName = (typeof PHASE_NAMES)[number];

/**
 * What a plan keeps of one run (one point × one seed): enough to recompute every statistic, bootstrap over
 * seeds, and merge shards. Small and plain JSON, so shards can write it and `ihasim merge` read it back.
 */
export interface SeedRecord {
  point: number;
  seed: number;
  exitCode: 0 | 1 | 2;
  /** Downtimes of the instances evacuated and back (outcome recovered or recovered-data-lost), report order. */
  downtimesMs: number[];
  /**
   * Downtimes of the affected opted-in instances that came back by any route (evacuated or self-healed), and
   * how many affected opted-in instances there were: the two sides of `recovered-fraction`.
   */
  backMs: number[];
  optedInAffected: number;
  /** Instances not recovered at the end, by reason. */
  notRecovered: Record<string, number>;
  /** Invariants this run violated (each once). */
  violations: string[];
  /** Phase sums and counts over the recovered instances (a phase not reached is not counted). */
  phaseSums: Record<PhaseName, number>;
  phaseCounts: Record<PhaseName, number>;
  /** The end state an operator inherits (report metrics of the same names). */
  hostsLeftDisabled: number;
  operatorActions: number;
  novaApiCalls: number;
}

const zeroPhases = (): Record<PhaseName, number> => ({ detectMs: 0, fenceMs: 0, markDownMs: 0, evacuateMs: 0, bootMs: 0 });

/** The record of one run's report. */
export function recordOf(point: number, r: RunReport): SeedRecord {
  const rec: SeedRecord = {
    point, seed: r.seed, exitCode: r.exitCode, downtimesMs: [], backMs: [], optedInAffected: 0, notRecovered: {},
    violations: [...new Set(r.violations.map((v) => v.invariant))].sort(), phaseSums: zeroPhases(), phaseCounts: zeroPhases(),
    hostsLeftDisabled: r.metrics.hostsLeftDisabled, operatorActions: r.metrics.operatorActions, novaApiCalls: r.metrics.novaApiCalls,
  };
  for (const o of r.instances) {
    if (o.outcome === 'never-placed' || o.outcome === 'unaffected') continue;
    if (o.outcome === 'not-recovered') {
      rec.notRecovered[o.reason ?? 'unknown'] = (rec.notRecovered[o.reason ?? 'unknown'] ?? 0) + 1;
      if (o.reason !== 'not-opted-in') rec.optedInAffected++;
      continue;
    }
    rec.optedInAffected++;
    if (o.downtimeMs !== null) rec.backMs.push(o.downtimeMs);
    if (!o.outcome.startsWith('recovered') || o.downtimeMs === null) continue;
    rec.downtimesMs.push(o.downtimeMs);
    for (const p of PHASE_NAMES) {
      const v = o.phases?.[p];
      if (v === null || v === undefined) continue;
      rec.phaseSums[p] += v;
      rec.phaseCounts[p]++;
    }
  }
  return rec;
}
