import { BOOTSTRAP_RESAMPLES, CONFIDENCE, resampleIndexes } from './bootstrap.js';
import type { PlanPoint } from './grid.js';
import type { SeedRecord } from './seed-record.js';
import { summarisePoint, type PointSummary } from './summary.js';
import type { Target } from './target.js';

/** Everything that defines a plan's runs: two shards of one plan carry equal metas. */
export interface PlanMeta {
  scenario: string;
  file: string;
  /** `--set` changes applied to every point. */
  set: string[];
  varied: string[];
  points: PlanPoint[];
  seeds: { first: number; count: number };
  target: Target | null;
}

/** The result of `ihasim plan` (and of `ihasim merge` over its shards: the same bytes). */
export interface PlanResult {
  ihasim: 1;
  kind: 'plan';
  scenario: string;
  file: string;
  set: string[];
  varied: string[];
  seeds: { first: number; count: number };
  /** Every point ran on the same seeds: differences between points are not differences of luck. */
  commonRandomNumbers: true;
  bootstrap: { resamples: number; confidence: number; resampled: 'seeds'; seed: number };
  target: Target | null;
  /** Points with every seed run, in grid order; fewer than planned when interrupted. */
  points: PointSummary[];
  pointsPlanned: number;
}

/**
 * Builds the result from the records of finished points (records in point, then seed order). Pure: the same
 * records give the same result whether they came from one process or from merged shards.
 */
export function buildResult(meta: PlanMeta, records: readonly SeedRecord[]): PlanResult {
  const resamples = resampleIndexes(meta.seeds.count, meta.seeds.first);
  const withinMs = meta.target?.withinMs ?? null;
  const points: PointSummary[] = [];
  for (const p of meta.points) {
    const mine = records.filter((r) => r.point === p.index);
    if (mine.length === meta.seeds.count) points.push(summarisePoint(p.index, { ...p.values }, mine, resamples, withinMs));
  }
  return {
    ihasim: 1, kind: 'plan', scenario: meta.scenario, file: meta.file, set: meta.set, varied: meta.varied, seeds: meta.seeds,
    commonRandomNumbers: true,
    bootstrap: { resamples: BOOTSTRAP_RESAMPLES, confidence: CONFIDENCE, resampled: 'seeds', seed: meta.seeds.first },
    target: meta.target, points, pointsPlanned: meta.points.length,
  };
}
