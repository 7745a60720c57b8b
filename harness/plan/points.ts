import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import { IhasimError, isIhasimError } from '../errors.js';
import { loadScenario } from '../scenario/index.js';
import { describePoint, pointSets, type PlanPoint } from './grid.js';

/**
 * Loads the scenario once per point (the shared `--set`s, then the point's), validating every point before any
 * run. @throws IhasimError the loader's error (exit 3), its message naming the point that fails.
 */
export async function loadPoints(file: string, set: readonly string[], points: readonly PlanPoint[]): Promise<ScenarioSpec[]> {
  const specs: ScenarioSpec[] = [];
  for (const p of points) {
    try {
      specs.push(await loadScenario(file, { set: [...set, ...pointSets(p)] }));
    } catch (err) {
      if (!isIhasimError(err)) throw err;
      throw new IhasimError(err.code, `${describePoint(p)}: ${err.message}`, err.details);
    }
  }
  return specs;
}
