import { loadScenario } from '../harness/scenario/index.js';
import { checkScenario } from '../harness/check/check-scenario.js';

/** A piscina task: check the scenario with one seed for a time budget; returns how many schedules ran. */
export default async function checkTask(task: { file: string; seed: number; budgetMs: number }): Promise<{ runs: number; ok: boolean }> {
  const spec = await loadScenario(task.file);
  const r = await checkScenario(spec, { seed: task.seed, timeBudgetMs: task.budgetMs });
  return { runs: r.runs, ok: r.ok };
}
