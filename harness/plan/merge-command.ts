import { buildResult } from './result.js';
import { checkPlanOutputs, emitPlan, type PlanOutputs } from './outputs.js';
import { mergeParts } from './shard.js';

export interface MergeFlags extends PlanOutputs {
  quiet?: boolean;
}

/**
 * `ihasim merge PARTS…`: the shards of one plan combined into its result — the same bytes as the plan run in
 * one process, since the result is computed from the records alone, in the same order.
 */
export async function mergeCommand(paths: string[], flags: MergeFlags, out: (s: string) => void): Promise<number> {
  await checkPlanOutputs(flags);
  const { meta, records } = await mergeParts(paths);
  await emitPlan(buildResult(meta, records), records, flags, out, flags.quiet);
  return 0;
}
