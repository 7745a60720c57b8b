import { loadScenario } from '../scenario/index.js';
import { runScenario } from '../run/run-scenario.js';
import { runSeeds } from '../run/run-seeds.js';
import { checkOutputPath, checkReportTargets, LineFile, writeFileAtomic, writeReports, type ReportTargets } from '../../reports/index.js';
import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import type { TraceRecord } from '../../sim/kernel/trace.js';
import type { MultiRunReport, Report } from '../../reports/report-types.js';
import { IhasimError } from '../errors.js';
import { renderMulti, renderRun } from './terminal.js';
import { validateDefects } from './defect-flags.js';
import { MAX_SEED, SEED_RANGE_TEXT } from '../run/seed-range.js';
import { versionWarning } from '../version.js';

export interface RunFlags {
  seed?: number;
  seeds?: number;
  report?: string;
  junit?: string;
  markdown?: string;
  html?: string;
  trace?: string;
  runsJsonl?: string;
  quiet?: boolean;
  json?: boolean;
  defect?: string[];
  /** `--set key.path=value` changes to the scenario document. */
  set?: string[];
}

/** `ihasim run <scenario>`: simulate, print, write the requested reports; returns the exit code. */
export async function runCommand(file: string, flags: RunFlags, out: (s: string) => void): Promise<number> {
  const defects = validateDefects(flags.defect ?? []);
  const spec = await loadScenario(file, { set: flags.set });
  // Not an error: the run goes ahead, and its report records the same line under `warnings`.
  const warning = versionWarning(spec);
  if (warning !== null) process.stderr.write(`${warning}\n`);
  if (flags.seeds !== undefined && flags.trace) throw new IhasimError('IHASIM_USAGE', '--trace records one run: use it with --seed, not --seeds');
  const first = flags.seed ?? spec.seed;
  if (flags.seeds !== undefined && first + flags.seeds - 1 > MAX_SEED) {
    throw new IhasimError('IHASIM_USAGE', `--seeds ${flags.seeds} from seed ${first} would run seeds past ${MAX_SEED}: seeds are ${SEED_RANGE_TEXT}`);
  }
  if (flags.seeds === undefined && flags.runsJsonl) throw new IhasimError('IHASIM_USAGE', '--runs-jsonl lists the runs of --seeds N: use --report for one run');
  const targets: ReportTargets = { json: flags.report, junit: flags.junit, markdown: flags.markdown, html: flags.html };
  // Before the simulation: a typo in an output path is told at once, not after minutes of seeds.
  await checkReportTargets(targets);
  if (flags.trace) await checkOutputPath(flags.trace, '--trace');
  if (flags.runsJsonl) await checkOutputPath(flags.runsJsonl, '--runs-jsonl');
  const started = performance.now();
  let report: Report;
  if (flags.seeds !== undefined) {
    report = await runManySeeds(spec, flags.seeds, flags, defects);
    if (!flags.quiet && !flags.json) out(renderMulti(report));
  } else {
    const { report: r, world } = runScenario(spec, { seed: flags.seed, trace: true, defects });
    report = r;
    if (flags.trace) await writeFileAtomic(flags.trace, traceLines(world.trace.records), { flag: '--trace' });
    if (!flags.quiet && !flags.json) out(renderRun(r, { timeline: true }));
  }
  await writeReports(report, targets, { wallMs: performance.now() - started });
  if (flags.json) out(JSON.stringify(report, null, 2));
  if (flags.quiet && report.verdict === 'fail') out(report.kind === 'run' ? `FAIL ${report.failures[0]}\nreplay: ${report.replay}` : renderMulti(report));
  return report.exitCode;
}

/** `--seeds N`: the aggregate, and with `--runs-jsonl` every run's report streamed as one JSON line. */
async function runManySeeds(spec: ScenarioSpec, count: number, flags: RunFlags, defects: string[]): Promise<MultiRunReport> {
  const tty = process.stderr.isTTY && !process.env.CI && !flags.quiet;
  const lines = flags.runsJsonl ? await LineFile.open(flags.runsJsonl, '--runs-jsonl') : null;
  try {
    const report = runSeeds(spec, count, {
      seed: flags.seed, trace: false, defects,
      onRun: (r, i) => {
        lines?.writeLine(JSON.stringify(r));
        if (tty && (i % 100 === 99 || i === count - 1)) process.stderr.write(`\r  seed ${i + 1}/${count}`);
      },
    });
    if (tty) process.stderr.write('\r\x1b[K');
    lines?.close();
    return flags.runsJsonl ? { ...report, runsJsonl: flags.runsJsonl } : report;
  } finally {
    lines?.abort();
  }
}

/** The trace as JSONL (the same bytes as `Trace.toJsonl`), in chunks: a long trace is never one string. */
function* traceLines(records: readonly TraceRecord[]): Iterable<string> {
  const BATCH = 4096;
  for (let i = 0; i < records.length; i += BATCH) {
    let chunk = '';
    for (const r of records.slice(i, i + BATCH)) chunk += JSON.stringify(r) + '\n';
    yield chunk;
  }
}
