import { loadScenario } from '../scenario/index.js';
import { runScenario } from '../run/run-scenario.js';
import { multiHeader, SeedAggregate } from '../run/run-seeds.js';
import { runSeedDigests } from '../run/parallel-seeds.js';
import { checkJobs, releaseWarmWorkers, warmWorkers, workersFor } from '../run/ordered-pool.js';
import type { RunPart } from '../run/run-part.js';
import { parseShard, shardRange, type Shard } from '../plan/shard.js';
import { signalExitCode, watchStopSignals } from './stop-signals.js';
import { checkOutputPath, checkReportTargets, LineFile, writeFileAtomic, writeReports } from '../../reports/index.js';
import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import type { TraceRecord } from '../../sim/kernel/trace.js';
import type { MultiRunReport, Report } from '../../reports/report-types.js';
import { IhasimError } from '../errors.js';
import { renderMulti, renderRun } from './terminal.js';
import { validateDefects } from './defect-flags.js';
import { MAX_SEED, SEED_RANGE_TEXT } from '../run/seed-range.js';
import { versionWarning } from '../version.js';
import { reportTargetsOf, type ReportFlags } from './report-flags.js';

export interface RunFlags extends ReportFlags {
  seed?: number;
  seeds?: number;
  trace?: string;
  /** `--history FILE`: write the run's history (harness/history/HISTORY.md), one observation per line. */
  history?: string;
  runsJsonl?: string;
  defect?: string[];
  /** `--set key.path=value` changes to the scenario document. */
  set?: string[];
  /** `--jobs N`: lanes for `--seeds` from the start (default: up to one per core, workers added once the run proves long). */
  jobs?: number;
  /** `--shard i/n` with `--out FILE`: run slice i of n of the seeds, for `ihasim merge`. */
  shard?: string;
  out?: string;
}

/** `ihasim run <scenario>`: simulate, print, write the requested reports; returns the exit code. */
export async function runCommand(file: string, flags: RunFlags, out: (s: string) => void): Promise<number> {
  // `--jobs N` given: start the worker threads now, so they load while the scenario is read and checked. Not
  // given, the run starts on this thread alone and adds workers only if it turns out long (ordered-pool.ts).
  const jobs = flags.jobs;
  if (jobs !== undefined && flags.seeds !== undefined && !flags.shard && Number.isInteger(jobs) && jobs >= 2 && jobs <= 256) warmWorkers(workersFor(jobs, flags.seeds));
  try {
    return await runCommandWith(file, flags, out);
  } finally {
    await releaseWarmWorkers();
  }
}

async function runCommandWith(file: string, flags: RunFlags, out: (s: string) => void): Promise<number> {
  const defects = validateDefects(flags.defect ?? []);
  const spec = await loadScenario(file, { set: flags.set });
  // Not an error: the run goes ahead, and its report records the same line under `warnings`.
  const warning = versionWarning(spec);
  if (warning !== null) process.stderr.write(`${warning}\n`);
  if (flags.seeds !== undefined && flags.trace) throw new IhasimError('IHASIM_USAGE', '--trace records one run: use it with --seed, not --seeds');
  if (flags.seeds !== undefined && flags.history) throw new IhasimError('IHASIM_USAGE', '--history records one run: use it with --seed, not --seeds');
  const first = flags.seed ?? spec.seed;
  if (flags.seeds !== undefined && first + flags.seeds - 1 > MAX_SEED) {
    throw new IhasimError('IHASIM_USAGE', `--seeds ${flags.seeds} from seed ${first} would run seeds past ${MAX_SEED}: seeds are ${SEED_RANGE_TEXT}`);
  }
  if (flags.seeds === undefined && flags.runsJsonl) throw new IhasimError('IHASIM_USAGE', '--runs-jsonl lists the runs of --seeds N: use --report for one run');
  const jobs = checkJobs(flags.jobs);
  const shard = flags.shard !== undefined ? parseShard(flags.shard) : null;
  if ((shard || flags.out) && flags.seeds === undefined) throw new IhasimError('IHASIM_USAGE', '--shard and --out split the seeds of --seeds N: give --seeds');
  if (shard && !flags.out) throw new IhasimError('IHASIM_USAGE', '--shard writes a part file: give --out FILE (then combine the parts with ihasim merge)');
  if (!shard && flags.out) throw new IhasimError('IHASIM_USAGE', '--out is the part file of --shard i/n; use --report FILE for the report');
  if (shard && (flags.report || flags.junit || flags.markdown || flags.html || flags.json)) {
    throw new IhasimError('IHASIM_USAGE', 'a --shard writes only its part file: write the reports with ihasim merge');
  }
  const targets = reportTargetsOf(flags);
  // Before the simulation: a typo in an output path is told at once, not after minutes of seeds.
  await checkReportTargets(targets);
  if (flags.trace) await checkOutputPath(flags.trace, '--trace');
  if (flags.history) await checkOutputPath(flags.history, '--history');
  if (flags.runsJsonl) await checkOutputPath(flags.runsJsonl, '--runs-jsonl');
  if (flags.out) await checkOutputPath(flags.out, '--out');
  if (shard) return runShard(spec, flags.seeds!, shard, flags, defects, jobs, out);
  const started = performance.now();
  let report: Report;
  let signal: NodeJS.Signals | null = null;
  if (flags.seeds !== undefined) {
    ({ report, signal } = await runManySeeds(spec, flags.seeds, flags, defects, jobs));
    if (signal) out(`stopped by ${signal === 'SIGINT' ? 'Ctrl-C' : signal}: the ${report.seeds.count} seed(s) finished of ${flags.seeds}`);
    if (!flags.quiet && !flags.json) out(renderMulti(report));
  } else {
    const { report: r, world, history } = runScenario(spec, { seed: flags.seed, trace: true, defects, history: flags.history !== undefined });
    report = r;
    if (flags.trace) await writeFileAtomic(flags.trace, traceLines(world.trace.records), { flag: '--trace' });
    if (flags.history) await writeFileAtomic(flags.history, jsonLines(history.recorded!), { flag: '--history' });
    if (!flags.quiet && !flags.json) out(renderRun(r, { timeline: true }));
  }
  await writeReports(report, targets, { wallMs: performance.now() - started });
  if (flags.json) out(JSON.stringify(report, null, 2));
  if (flags.quiet && report.verdict === 'fail') out(report.kind === 'run' ? `FAIL ${report.failures[0]}\nreplay: ${report.replay}` : renderMulti(report));
  return signal ? signalExitCode(signal) : report.exitCode;
}

/** Progress on stderr: on a terminal, or when IHASIM_PROGRESS=1 asks for it (one line per update then). */
function progressWriter(flags: RunFlags): ((text: string) => void) | null {
  if (flags.quiet) return null;
  if (process.env.IHASIM_PROGRESS === '1') return (text) => void process.stderr.write(`${text}\n`);
  if (process.stderr.isTTY && !process.env.CI) return (text) => void process.stderr.write(`\r${text}`);
  return null;
}

/**
 * `--seeds N`: the aggregate, and with `--runs-jsonl` every run's report streamed as one JSON line, on `jobs`
 * threads, folded in seed order. A Ctrl-C or SIGTERM stops it: the aggregate is then that of the seeds finished.
 */
async function runManySeeds(spec: ScenarioSpec, count: number, flags: RunFlags, defects: string[], jobs: number): Promise<{ report: MultiRunReport; signal: NodeJS.Signals | null }> {
  const first = flags.seed ?? spec.seed;
  const progress = progressWriter(flags);
  const lines = flags.runsJsonl ? await LineFile.open(flags.runsJsonl, '--runs-jsonl') : null;
  const stop = watchStopSignals();
  try {
    const aggregate = new SeedAggregate();
    await runSeedDigests(spec, {
      first, from: 0, to: count, jobs, autoLanes: flags.jobs === undefined, defects, jsonl: lines !== null, shouldStop: () => stop.signal !== null,
      onDigest: (d, i) => {
        aggregate.addDigest(d);
        if (d.jsonl !== undefined) lines!.writeLine(d.jsonl);
        if (progress && (i % 100 === 99 || i === count - 1)) progress(`  seed ${i + 1}/${count}`);
      },
    });
    if (progress && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    lines?.close();
    const report = aggregate.reportWith(multiHeader(spec), first);
    return { report: flags.runsJsonl ? { ...report, runsJsonl: flags.runsJsonl } : report, signal: stop.signal };
  } finally {
    stop.dispose();
    lines?.abort();
  }
}

/** `--seeds N --shard i/n --out FILE`: slice i of the seeds, written as a part for `ihasim merge`. */
async function runShard(spec: ScenarioSpec, count: number, shard: Shard, flags: RunFlags, defects: string[], jobs: number, out: (s: string) => void): Promise<number> {
  const first = flags.seed ?? spec.seed;
  const range = shardRange(shard, count);
  const lines = flags.runsJsonl ? await LineFile.open(flags.runsJsonl, '--runs-jsonl') : null;
  const stop = watchStopSignals();
  const started = performance.now();
  try {
    const digests: RunPart['digests'] = [];
    const { stopped } = await runSeedDigests(spec, {
      first, ...range, jobs, autoLanes: flags.jobs === undefined, defects, jsonl: lines !== null, shouldStop: () => stop.signal !== null,
      onDigest: (d) => {
        if (d.jsonl !== undefined) lines!.writeLine(d.jsonl);
        const { jsonl: _dropped, ...kept } = d;
        digests.push(kept);
      },
    });
    if (stopped) {
      out(`shard ${shard.index}/${shard.count} stopped by a signal after ${digests.length} of ${range.to - range.from} seeds: nothing written`);
      return signalExitCode(stop.signal!);
    }
    lines?.close();
    const part: RunPart = { ihasim: 1, kind: 'run-part', shard, seeds: { first, count }, units: range, header: multiHeader(spec), defects, digests };
    await writeFileAtomic(flags.out!, JSON.stringify(part) + '\n', { flag: '--out' });
    const wall = `${((performance.now() - started) / 1000).toFixed(1)} s wall`;
    if (!flags.quiet) out(`shard ${shard.index}/${shard.count}: seeds ${first + range.from}..${first + range.to - 1} written to ${flags.out} (${wall})`);
    return 0;
  } finally {
    stop.dispose();
    lines?.abort();
  }
}

/** The trace as JSONL (the same bytes as `Trace.toJsonl`), in chunks: a long trace is never one string. */
function traceLines(records: readonly TraceRecord[]): Iterable<string> {
  return jsonLines(records);
}

/** Records as JSONL, in chunks: a long trace or history is never one string. */
function* jsonLines(records: readonly object[]): Iterable<string> {
  const BATCH = 4096;
  for (let i = 0; i < records.length; i += BATCH) {
    let chunk = '';
    for (const r of records.slice(i, i + BATCH)) chunk += JSON.stringify(r) + '\n';
    yield chunk;
  }
}
