import { IhasimError } from '../errors.js';
import { loadScenario } from '../scenario/index.js';
import { writeFileAtomic } from '../../reports/write.js';
import { checkOutputPath } from '../../reports/output-path.js';
import { MAX_SEED, SEED_RANGE_TEXT } from '../run/seed-range.js';
import { validateDefects } from '../cli/defect-flags.js';
import { gridPoints, parseVary, type PlanPoint } from './grid.js';
import { loadPoints } from './points.js';
import { evaluateUnits } from './evaluate.js';
import { buildResult, type PlanMeta, type PlanResult } from './result.js';
import { checkPlanOutputs, emitPlan, type PlanOutputs } from './outputs.js';
import { parseShard, renderPart, shardRange } from './shard.js';
import { meets, parseTarget } from './target.js';
import { bisect, describeTarget, parseSearch, type SearchOutcome } from './search.js';
import { signalExitCode, watchStopSignals } from '../cli/stop-signals.js';
import type { SeedRecord } from './seed-record.js';
import { checkJobs, releaseWarmWorkers, warmWorkers, workersFor } from '../run/ordered-pool.js';

export interface PlanFlags extends PlanOutputs {
  vary?: string[];
  set?: string[];
  seeds?: number;
  seed?: number;
  target?: string;
  search?: string;
  step?: string;
  as?: string;
  maximize?: boolean;
  shard?: string;
  out?: string;
  defect?: string[];
  quiet?: boolean;
  /** `--jobs N`: lanes from the start (default: up to one per core, workers added once the grid proves long). */
  jobs?: number;
}

/** `ihasim plan SCENARIO --vary k=a,b … --seeds N`: a grid of what-ifs on common seeds. Returns the exit code. */
export async function planCommand(file: string, flags: PlanFlags, out: (s: string) => void): Promise<number> {
  const defects = validateDefects(flags.defect ?? []);
  const jobs = checkJobs(flags.jobs);
  if (flags.seeds === undefined) throw new IhasimError('IHASIM_USAGE', 'ihasim plan needs --seeds N (the runs per point; every point runs on the same N seeds)');
  const target = flags.target !== undefined ? parseTarget(flags.target) : null;
  if (flags.search !== undefined) return searchCommand(file, flags, target, defects, jobs, out);
  if (flags.step !== undefined || flags.as !== undefined || flags.maximize) throw new IhasimError('IHASIM_USAGE', '--step, --as and --maximize go with --search');
  const varies = (flags.vary ?? []).map(parseVary);
  const points = gridPoints(varies);
  // `--jobs N` given: the worker threads load while the points' scenarios are read and checked (see warmWorkers).
  // Not given, the grid starts on this thread and adds workers only if it turns out long (ordered-pool.ts).
  if (!flags.shard && flags.jobs !== undefined) warmWorkers(workersFor(jobs, points.length * flags.seeds));
  try {
    return await runGrid(file, { ...flags, seeds: flags.seeds }, target, defects, jobs, varies, points, out);
  } finally {
    await releaseWarmWorkers();
  }
}

async function runGrid(
  file: string, flags: PlanFlags & { seeds: number }, target: PlanMeta['target'], defects: string[], jobs: number,
  varies: ReturnType<typeof parseVary>[], points: ReturnType<typeof gridPoints>, out: (s: string) => void,
): Promise<number> {
  const base = await loadScenario(file, { set: flags.set });
  const meta = planMeta(file, base.name, base.seed, flags, varies.map((v) => v.key), points, target);
  const specs = await loadPoints(file, flags.set ?? [], points);
  const shard = flags.shard !== undefined ? parseShard(flags.shard) : null;
  if (shard && !flags.out) throw new IhasimError('IHASIM_USAGE', '--shard writes a part file: give --out FILE (then combine the parts with ihasim merge)');
  if (!shard && flags.out) throw new IhasimError('IHASIM_USAGE', '--out is the part file of --shard i/n; use --json FILE for the result');
  await checkPlanOutputs(flags);
  if (flags.out) await checkOutputPath(flags.out, '--out');
  const total = points.length * meta.seeds.count;
  const range = shard ? shardRange(shard, total) : { from: 0, to: total };
  const stop = watchStopSignals();
  const started = performance.now();
  try {
    const tty = process.stderr.isTTY && !process.env.CI && !flags.quiet;
    const { records, stopped } = await evaluateUnits(specs, meta.seeds, range, {
      defects, jobs, autoLanes: flags.jobs === undefined, shouldStop: () => stop.signal !== null,
      onRecord: tty ? (_r, done, all) => void ((done % 20 === 0 || done === all) && process.stderr.write(`\r  run ${done}/${all}`)) : undefined,
    });
    if (tty) process.stderr.write('\r\x1b[K');
    const wall = `${((performance.now() - started) / 1000).toFixed(1)} s wall`;
    if (shard) {
      if (stopped) {
        out(`shard ${shard.index}/${shard.count} stopped by a signal after ${records.length} of ${range.to - range.from} runs: nothing written`);
        return signalExitCode(stop.signal!);
      }
      await writeFileAtomic(flags.out!, renderPart({ ihasim: 1, kind: 'plan-part', shard, units: { ...range, total }, meta, records }), { flag: '--out' });
      out(`shard ${shard.index}/${shard.count}: runs ${range.from + 1}..${range.to} of ${total} written to ${flags.out} (${wall})`);
      return 0;
    }
    const result = buildResult(meta, records);
    if (stopped) out(`stopped by ${stop.signal === 'SIGINT' ? 'Ctrl-C' : stop.signal}: the ${result.points.length} point(s) finished of ${points.length}`);
    await emitPlan(result, records, flags, out, flags.quiet);
    if (!flags.quiet) out(`${total} runs in ${wall}`);
    return stopped ? signalExitCode(stop.signal!) : 0;
  } finally {
    stop.dispose();
  }
}

function planMeta(file: string, scenario: string, scenarioSeed: number, flags: PlanFlags, varied: string[], points: PlanPoint[], target: PlanMeta['target']): PlanMeta {
  const first = flags.seed ?? scenarioSeed;
  if (first + flags.seeds! - 1 > MAX_SEED) throw new IhasimError('IHASIM_USAGE', `--seeds ${flags.seeds} from seed ${first} would run seeds past ${MAX_SEED}: seeds are ${SEED_RANGE_TEXT}`);
  return { scenario, file, set: [...(flags.set ?? [])], varied, points, seeds: { first, count: flags.seeds! }, target };
}

/** `--target … --search key=lo..hi`: bisection over one key, every value on the same seeds. */
async function searchCommand(file: string, flags: PlanFlags, target: PlanMeta['target'], defects: string[], jobs: number, out: (s: string) => void): Promise<number> {
  if (!target) throw new IhasimError('IHASIM_USAGE', "--search needs --target (e.g. --target 'p99 <= 10m')");
  if (flags.vary?.length) throw new IhasimError('IHASIM_USAGE', '--search varies one key: use --set for the others, not --vary');
  if (flags.shard !== undefined) throw new IhasimError('IHASIM_USAGE', '--shard splits a grid (--vary); a --search decides each next value from the last, so it runs in one process');
  const space = parseSearch(flags.search!, flags.step, flags.as);
  const base = await loadScenario(file, { set: flags.set });
  const all: PlanPoint[] = space.candidates.map((v, index) => ({ index, values: { [space.key]: v } }));
  const meta = planMeta(file, base.name, base.seed, flags, [space.key], [], target);
  await checkPlanOutputs(flags);
  const records: SeedRecord[] = [];
  const stop = watchStopSignals();
  const started = performance.now();
  try {
    // `--jobs N` given: one pool for the whole search, its threads warmed up once (see warmWorkers).
    if (flags.jobs !== undefined) warmWorkers(workersFor(jobs, meta.seeds.count));
    const outcome = await bisect(space, target, flags.maximize ?? false, async (i) => {
      const point = all[i]!;
      const [spec] = await loadPoints(file, flags.set ?? [], [point]);
      const r = await evaluateUnits([spec!], meta.seeds, { from: 0, to: meta.seeds.count }, { defects, jobs, autoLanes: flags.jobs === undefined, shouldStop: () => stop.signal !== null });
      if (r.stopped) return null;
      const mine = r.records.map((rec) => ({ ...rec, point: i }));
      records.push(...mine);
      meta.points.push(point);
      const summary = buildResult({ ...meta, points: [point] }, mine).points[0]!;
      if (!flags.quiet) process.stderr.write(`  ${space.key}=${point.values[space.key]}: ${describeTarget(target, summary)} → ${meets(summary, target) ? 'meets' : 'fails'}\n`);
      return summary;
    });
    meta.points.sort((a, b) => a.index - b.index);
    records.sort((a, b) => a.point - b.point || a.seed - b.seed);
    const result: PlanResult & { search?: SearchOutcome } = { ...buildResult(meta, records), ...(outcome ? { search: outcome } : {}) };
    if (!outcome) out(`stopped by ${stop.signal === 'SIGINT' ? 'Ctrl-C' : stop.signal}: the values evaluated so far`);
    await emitPlan(result, records, flags, out, flags.quiet);
    if (outcome) out(`${outcome.verdict === 'found' ? 'ANSWER' : 'NO ANSWER'}: ${outcome.message}`);
    out(`${records.length} runs in ${((performance.now() - started) / 1000).toFixed(1)} s wall (${meta.points.length} of ${space.candidates.length} values evaluated)`);
    if (!outcome) return signalExitCode(stop.signal!);
    return outcome.verdict === 'found' ? 0 : 2;
  } finally {
    stop.dispose();
    await releaseWarmWorkers();
  }
}
