/**
 * The worker-thread side of `--jobs N` (see ordered-pool.ts): runs a slice of seeds (or of `check`'s schedules)
 * and returns, per unit, the compact record the main thread folds in unit order. Each run is independent of the
 * others, so where it runs cannot change its result.
 */
import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import { recordOf, type SeedRecord } from '../plan/seed-record.js';
import { runSeedReport } from './run-scenario.js';
import { digestOf, type SeedDigest } from './seed-digest.js';
import { tuneV8ForSimulation } from '../v8-tuning.js';
import { specFromTheWire, type SpecOnTheWire } from './spec-transfer.js';
import { runScheduleSlice, type ScheduleOutcome, type ScheduleSlice } from '../check/schedule-slice.js';

/** `run --seeds`: seeds first+from .. first+to-1 of one scenario. */
export interface RunSlice {
  kind: 'run';
  scenario: SpecOnTheWire;
  first: number;
  from: number;
  to: number;
  defects: readonly string[];
  jsonl: boolean;
}

/** `plan`: units from..to-1 (point-major); `scenarios[i]` is point `pointBase + i`. */
export interface PlanSlice {
  kind: 'plan';
  scenarios: SpecOnTheWire[];
  pointBase: number;
  seeds: { first: number; count: number };
  from: number;
  to: number;
  defects: readonly string[];
}

export type Slice = RunSlice | PlanSlice | ScheduleSlice;

export function runSlice(task: RunSlice): SeedDigest[];
export function runSlice(task: PlanSlice): SeedRecord[];
export function runSlice(task: ScheduleSlice): ScheduleOutcome[];
export function runSlice(task: Slice): SeedDigest[] | SeedRecord[] | ScheduleOutcome[];
export function runSlice(task: Slice): SeedDigest[] | SeedRecord[] | ScheduleOutcome[] {
  // `check --jobs`: no report is made, so the spec's identity is not needed.
  if (task.kind === 'schedules') return runScheduleSlice(task);
  if (task.kind === 'run') {
    const spec = specFromTheWire(task.scenario);
    const out: SeedDigest[] = [];
    for (let i = task.from; i < task.to; i++) {
      out.push(digestOf(runSeedReport(spec, { seed: task.first + i, trace: false, defects: task.defects }), { jsonl: task.jsonl }));
    }
    return out;
  }
  const specs: ScenarioSpec[] = task.scenarios.map(specFromTheWire);
  const out: SeedRecord[] = [];
  for (let u = task.from; u < task.to; u++) {
    const point = Math.floor(u / task.seeds.count);
    const seed = task.seeds.first + (u % task.seeds.count);
    out.push(recordOf(point, runSeedReport(specs[point - task.pointBase]!, { seed, trace: false, defects: task.defects })));
  }
  return out;
}

let tuned = false;

/** The piscina task. */
export default function seedWorkerTask(task: Slice): SeedDigest[] | SeedRecord[] | ScheduleOutcome[] {
  // The CLI tunes its main thread (bin/ihasim.js); a worker is a simulation entry point too.
  if (!tuned) (tuneV8ForSimulation(), (tuned = true));
  return runSlice(task);
}
