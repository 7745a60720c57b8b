import { readFile } from 'node:fs/promises';
import { buildResult } from './result.js';
import { checkPlanOutputs, emitPlan, type PlanOutputs } from './outputs.js';
import { mergeParts } from './shard.js';
import { IhasimError } from '../errors.js';
import { isRunPart, mergeRunParts, type RunPart } from '../run/run-part.js';
import { writeReports } from '../../reports/index.js';
import { renderMulti } from '../cli/terminal.js';

export interface MergeFlags extends PlanOutputs {
  quiet?: boolean;
}

/**
 * `ihasim merge PARTS…`: the shards of one plan (or of one `run --seeds`) combined into its result — the same
 * bytes as run in one process, since the result is computed from the records alone, in the same order.
 */
export async function mergeCommand(paths: string[], flags: MergeFlags, out: (s: string) => void): Promise<number> {
  await checkPlanOutputs(flags);
  const runParts = await readRunParts(paths);
  if (runParts) return mergeRuns(runParts, paths, flags, out);
  const { meta, records } = await mergeParts(paths);
  await emitPlan(buildResult(meta, records), records, flags, out, flags.quiet);
  return 0;
}

/** The parts when the first is a `run --shard` part (all must then be), or null for plan parts. */
async function readRunParts(paths: string[]): Promise<RunPart[] | null> {
  if (paths.length === 0) return null;
  const parts: RunPart[] = [];
  for (const path of paths) {
    let data: unknown;
    try {
      data = JSON.parse(await readFile(path, 'utf8'));
    } catch {
      return parts.length === 0 ? null : notARunPart(path);
    }
    if (!isRunPart(data)) return parts.length === 0 ? null : notARunPart(path);
    parts.push(data);
  }
  return parts;
}

function notARunPart(path: string): never {
  throw new IhasimError('IHASIM_USAGE', `${path} is not a part written by \`ihasim run --seeds N --shard i/n --out FILE\` (do not mix run and plan parts)`);
}

/** Run parts: the multi-run report, as `ihasim run --seeds N` prints it; --json writes it as `run --report` does. */
async function mergeRuns(parts: RunPart[], paths: string[], flags: MergeFlags, out: (s: string) => void): Promise<number> {
  if (flags.csv || flags.perSeedCsv) throw new IhasimError('IHASIM_USAGE', '--csv and --per-seed-csv are plan outputs: merging run parts writes --json and --markdown');
  const report = mergeRunParts(parts, paths);
  await writeReports(report, { json: flags.json, markdown: flags.markdown });
  if (!flags.quiet) out(renderMulti(report));
  else if (report.verdict === 'fail') out(renderMulti(report));
  return report.exitCode;
}
