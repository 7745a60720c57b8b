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
import { designPoints, parseDesigns, parseKnob, planPointOf } from './design-points.js';
import { compareResult } from './compare-result.js';
import { renderCompareJson, renderCompareMarkdown, renderCompareTable } from './render.js';

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

/**
 * `ihasim compare SCENARIO --designs a,b,c`: one plan whose points are the designs, every design on the same
 * seeds, shown side by side. Returns the exit code (0; 130/143 when stopped by a signal).
 */
export async function compareCommand(file: string, flags: CompareFlags, out: (s: string) => void): Promise<number> {
  if (!flags.designs) throw new IhasimError('IHASIM_USAGE', 'ihasim compare needs --designs a,b,… (e.g. --designs instanceha,no-fence)');
  const designs = parseDesigns(flags.designs);
  const knobs = (flags.knob ?? []).map((k) => parseKnob(k, designs));
  const defects = validateDefects(flags.defect ?? []);
  const jobs = checkJobs(flags.jobs);
  const set = flags.set ?? [];
  const base = await loadScenario(file, { set });
  const seeds = { first: flags.seed ?? base.seed, count: flags.seeds ?? DEFAULT_SEEDS };
  if (seeds.first + seeds.count - 1 > MAX_SEED) throw new IhasimError('IHASIM_USAGE', `--seeds ${seeds.count} from seed ${seeds.first} would run seeds past ${MAX_SEED}: seeds are ${SEED_RANGE_TEXT}`);
  const points = (await designPoints(file, set, designs, knobs));
  const planPoints = points.map(planPointOf);
  const specs = await loadPoints(file, set, planPoints);
  for (const [flag, path] of [['--json', flags.json], ['--markdown', flags.markdown], ['--html', flags.html]] as const) if (path) await checkOutputPath(path, flag);
  const meta: PlanMeta = { scenario: base.name, file, set: [...set], varied: ['recovery'], points: planPoints, seeds, target: null };
  const stop = watchStopSignals();
  const started = performance.now();
  try {
    const { records, stopped } = await evaluateUnits(specs, seeds, { from: 0, to: specs.length * seeds.count }, { defects, jobs, shouldStop: () => stop.signal !== null });
    const plan = buildResult(meta, records);
    const result = compareResult(plan, points);
    if (stopped) out(`stopped by ${stop.signal === 'SIGINT' ? 'Ctrl-C' : stop.signal}: the ${result.designs.length} design(s) finished of ${designs.length}`);
    if (!flags.quiet) out(renderCompareTable(result));
    if (flags.json) await writeFileAtomic(flags.json, renderCompareJson(result), { flag: '--json' });
    if (flags.markdown) await writeFileAtomic(flags.markdown, renderCompareMarkdown(result), { flag: '--markdown' });
    if (flags.html) await writeFileAtomic(flags.html, (await import('./html.js')).renderCompareHtml(result, records), { flag: '--html' });
    if (!flags.quiet) out(`${records.length} runs in ${((performance.now() - started) / 1000).toFixed(1)} s wall`);
    return stopped ? signalExitCode(stop.signal!) : 0;
  } finally {
    stop.dispose();
  }
}
