import type { PlanResult } from '../plan/result.js';
import type { PointSummary } from '../plan/summary.js';
import { SAFETY_INVARIANTS } from '../checkers/invariant-list.js';
import type { DesignPoint } from './design-points.js';

/** One design's column of the comparison. */
export interface DesignSummary {
  design: string;
  /** The `recovery:` block it ran with. */
  recovery: Record<string, unknown>;
  summary: PointSummary;
  /** Runs with at least one safety violation (a VM ran twice, evacuation before fencing…), by invariant. */
  safetyViolations: Record<string, number>;
}

/** `ihasim compare`: the same scenario, fault schedule and seeds under each design. */
export interface CompareResult {
  ihasim: 1;
  kind: 'compare';
  scenario: string;
  file: string;
  set: string[];
  seeds: { first: number; count: number };
  commonRandomNumbers: true;
  designs: DesignSummary[];
  /** The plan underneath (one point per design): its JSON is what `ihasim plan` would write. */
  plan: PlanResult;
}

const SAFETY: ReadonlySet<string> = new Set(SAFETY_INVARIANTS);

export function compareResult(plan: PlanResult, designs: readonly DesignPoint[]): CompareResult {
  return {
    ihasim: 1, kind: 'compare', scenario: plan.scenario, file: plan.file, set: plan.set, seeds: plan.seeds, commonRandomNumbers: true,
    designs: plan.points.map((p) => ({
      design: designs[p.point]!.design, recovery: designs[p.point]!.recovery, summary: p,
      safetyViolations: Object.fromEntries(Object.entries(p.runsWithViolationsByInvariant).filter(([k]) => SAFETY.has(k))),
    })),
    plan,
  };
}
