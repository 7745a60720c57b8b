import { IhasimError } from '../errors.js';
import { loadScenario } from '../scenario/index.js';
import { checkOutputPath } from '../../reports/output-path.js';
import { writeFileAtomic } from '../../reports/write.js';
import { MAX_SEED, SEED_RANGE_TEXT } from '../run/seed-range.js';
import { checkJobs } from '../run/ordered-pool.js';
import { validateDefects } from '../cli/defect-flags.js';
import { signalExitCode, watchStopSignals } from '../cli/stop-signals.js';
import { loadPoints } from '../plan/points.js';
import { evaluateUnits } from '../plan/evaluate.js';
import { buildResult, type PlanMeta } from '../plan/result.js';
import type { SeedRecord } from '../plan/seed-record.js';
import { designPoints, parseDesigns, parseKnob, planPointOf, type Knob } from './design-points.js';
import { compareResult, type CompareResult } from './compare-result.js';
import { renderCompareJson, renderCompareMarkdown, renderCompareTable } from './render.js';
import { renderMatrixMarkdown, renderMatrixTable } from './matrix.js';

export interface CompareFlags {
  designs?: string;
  knob?: string[];
  set?: string[];
  seeds?: number;
  seed?: number;
  json?: string;
  markdown?: string;
  html?: string;
  jobs?: number;
  defect?: string[];
  quiet?: boolean;
}

const DEFAULT_SEEDS = 100;

interface Shared {
  designs: string[];
  knobs: Knob[];
  defects: string[];
  jobs: number;
  /** `--jobs` not given: worker threads only if the runs turn out long (ordered-pool.ts). */
  autoLanes: boolean;
  set: string[];
  shouldStop: () => boolean;
}

/**
 * `ihasim compare SCENARIO… --designs a,b,c`: per scenario, one plan whose points are the designs, every design on
 * the same seeds, shown side by side; with several scenarios, also a matrix (a row per scenario, a column per
 * design). Returns the exit code (0; 130/143 when stopped by a signal).
 */
export async function compareCommand(files: string[], flags: CompareFlags, out: (s: string) => void): Promise<number> {
  if (!flags.designs) throw new IhasimError('IHASIM_USAGE', 'ihasim compare needs --designs a,b,… (e.g. --designs instanceha,no-fence)');
  const designs = parseDesigns(flags.designs);
  if (files.length > 1 && flags.html) throw new IhasimError('IHASIM_USAGE', '--html draws one scenario: give one scenario file, or use --markdown / --json for several');
  const shared: Omit<Shared, 'shouldStop'> = {
    designs, knobs: (flags.knob ?? []).map((k) => parseKnob(k, designs)), defects: validateDefects(flags.defect ?? []),
    jobs: checkJobs(flags.jobs), autoLanes: flags.jobs === undefined, set: flags.set ?? [],
  };
  for (const f of files) await loadScenario(f, { set: shared.set });
  for (const [flag, path] of [['--json', flags.json], ['--markdown', flags.markdown], ['--html', flags.html]] as const) if (path) await checkOutputPath(path, flag);
  const stop = watchStopSignals();
  const started = performance.now();
  try {
    const results: { result: CompareResult; records: SeedRecord[] }[] = [];
    for (const file of files) {
      if (stop.signal) break;
      const r = await compareOne(file, flags, { ...shared, shouldStop: () => stop.signal !== null });
      if (!flags.quiet) out(renderCompareTable(r.result) + '\n');
      results.push(r);
    }
    if (stop.signal) out(`stopped by ${stop.signal === 'SIGINT' ? 'Ctrl-C' : stop.signal}: what finished is shown`);
    await emit(results, flags, out);
    const runs = results.reduce((a, r) => a + r.records.length, 0);
    if (!flags.quiet) out(`${runs} runs in ${((performance.now() - started) / 1000).toFixed(1)} s wall`);
    return stop.signal ? signalExitCode(stop.signal) : 0;
  } finally {
    stop.dispose();
  }
}

async function compareOne(file: string, flags: CompareFlags, s: Shared): Promise<{ result: CompareResult; records: SeedRecord[] }> {
  const base = await loadScenario(file, { set: s.set });
  const seeds = { first: flags.seed ?? base.seed, count: flags.seeds ?? DEFAULT_SEEDS };
  if (seeds.first + seeds.count - 1 > MAX_SEED) throw new IhasimError('IHASIM_USAGE', `--seeds ${seeds.count} from seed ${seeds.first} would run seeds past ${MAX_SEED}: seeds are ${SEED_RANGE_TEXT}`);
  const points = await designPoints(file, s.set, s.designs, s.knobs);
  const planPoints = points.map(planPointOf);
  const specs = await loadPoints(file, s.set, planPoints);
  const meta: PlanMeta = { scenario: base.name, file, set: [...s.set], varied: ['recovery'], points: planPoints, seeds, target: null };
  const { records } = await evaluateUnits(specs, seeds, { from: 0, to: specs.length * seeds.count }, { defects: s.defects, jobs: s.jobs, autoLanes: s.autoLanes, shouldStop: s.shouldStop });
  return { result: compareResult(buildResult(meta, records), points), records };
}

async function emit(results: { result: CompareResult; records: SeedRecord[] }[], flags: CompareFlags, out: (s: string) => void): Promise<void> {
  const one = results.length === 1 ? results[0]! : null;
  if (!one && results.length > 0 && !flags.quiet) out(renderMatrixTable(results.map((r) => r.result)));
  if (flags.json) {
    const text = one ? renderCompareJson(one.result) : `${JSON.stringify({ ihasim: 1, kind: 'compare-matrix', results: results.map((r) => r.result) }, null, 2)}\n`;
    await writeFileAtomic(flags.json, text, { flag: '--json' });
  }
  if (flags.markdown) {
    const text = one ? renderCompareMarkdown(one.result) : [renderMatrixMarkdown(results.map((r) => r.result)), ...results.map((r) => renderCompareMarkdown(r.result))].join('\n');
    await writeFileAtomic(flags.markdown, text, { flag: '--markdown' });
  }
  if (flags.html && one) await writeFileAtomic(flags.html, (await import('./html.js')).renderCompareHtml(one.result, one.records), { flag: '--html' });
}
