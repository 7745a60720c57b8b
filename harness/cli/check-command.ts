import { basename, resolve } from 'node:path';
import { loadScenario } from '../scenario/index.js';
import { parseDuration } from '../scenario/duration.js';
import { checkScenario, type CheckResult, type Counterexample } from '../check/check-scenario.js';
import { writeCounterexampleScenario } from '../check/counterexample.js';
import { runExhaustiveAsync } from '../check/exhaustive.js';
import { checkOutputPath, outputError } from '../../reports/output-path.js';
import { formatMs } from '../../reports/format-duration.js';
import { validateDefects } from './defect-flags.js';
import { closest } from 'fastest-levenshtein';
import { FAULT_KINDS, type FaultKind, type ScenarioSpec } from '../../sim/scenario-spec.js';
import { formatError, IhasimError } from '../errors.js';
import { signalExitCode, watchStopSignals, type StopSignal } from './stop-signals.js';
import { checkJobs } from '../run/ordered-pool.js';

export interface CheckFlags {
  runs?: number;
  timeBudget?: string;
  seed?: number;
  path?: string;
  maxFaults?: number;
  defect?: string[];
  faults?: string[];
  exhaustive?: boolean;
  depth?: number;
  grid?: string;
  /** Worker threads (default: one per core). */
  jobs?: number;
  out?: string;
  json?: boolean;
  /** `--set key.path=value` changes to the scenario document. */
  set?: string[];
}

const quote = (s: string): string => (/^[\w./@:=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function budgetMs(flags: CheckFlags): number {
  const ms = parseDuration(flags.timeBudget ?? '60s');
  if (!(ms > 0)) throw new IhasimError('IHASIM_USAGE', `--time-budget must be longer than 0, found '${flags.timeBudget}'`);
  return ms;
}

/** `--faults k…` replaces the check block's kinds (the same names the `check.faults` key takes). */
function withFaultKinds(spec: ScenarioSpec, kinds: string[] | undefined): ScenarioSpec {
  if (!kinds) return spec;
  const known: readonly string[] = FAULT_KINDS;
  for (const k of kinds) {
    if (!known.includes(k)) throw new IhasimError('IHASIM_USAGE', `unknown fault kind '${k}' in --faults (did you mean '${closest(k, [...known])}'?)`);
  }
  return { ...spec, check: { ...spec.check, kinds: [...new Set(kinds)] as FaultKind[] } };
}

/** What stopped the search early, if anything: the first SIGINT (Ctrl-C) or SIGTERM. */
const stoppedBy = (signal: NodeJS.Signals): string => (signal === 'SIGINT' ? 'Ctrl-C' : signal);

/** `ihasim check <scenario>`: property-based chaos over the scenario's fault space. Returns the exit code. */
export async function checkCommand(file: string, flags: CheckFlags, out: (s: string) => void): Promise<number> {
  const defects = validateDefects(flags.defect ?? []);
  const spec = withFaultKinds(await loadScenario(file, { set: flags.set }), flags.faults);
  if (flags.runs === 0) throw new IhasimError('IHASIM_USAGE', '--runs 0 checks nothing: give at least 1');
  const timeBudgetMs = budgetMs(flags);
  // Before the search: a bad --out is told now, not after a minute of searching.
  if (flags.out !== undefined) await checkOutputPath(flags.out, '--out');
  const jobs = checkJobs(flags.jobs);
  const stop = watchStopSignals();
  try {
    process.stderr.write(`checking ${spec.name}${flags.exhaustive ? ' exhaustively' : ''}; Ctrl-C stops and reports what was explored\n`);
    if (flags.exhaustive) return await exhaustive(spec, { ...flags, jobs }, defects, out, stop);
    const progress = process.stderr.isTTY && !process.env.CI;
    const result = await checkScenario(spec, {
      runs: flags.runs, timeBudgetMs, seed: flags.seed, path: flags.path, maxFaults: flags.maxFaults, defects, jobs,
      shouldStop: () => stop.signal !== null,
      onRun: progress ? (n) => n % 500 === 0 && process.stderr.write(`\r  ${n} schedules…`) : undefined,
    });
    if (progress) process.stderr.write('\r');
    return await report(spec, file, result, flags, defects, stop.signal, out);
  } finally {
    stop.dispose();
  }
}

async function report(
  spec: ScenarioSpec, file: string, r: CheckResult, flags: CheckFlags, defects: string[], signal: NodeJS.Signals | null, out: (s: string) => void,
): Promise<number> {
  const rate = r.runs / Math.max(r.elapsedMs / 1000, 1e-9);
  const defectFlags = defects.map((d) => ` --defect ${quote(d)}`).join('');
  const faultFlags = (flags.set ?? []).map((o) => ` --set ${quote(o)}`).join('') + (flags.faults ? ` --faults ${[...new Set(flags.faults)].join(' ')}` : '');
  const why = signal ? `, stopped by ${stoppedBy(signal)}` : r.interrupted ? ', time budget reached' : '';
  const head = `ihasim check ${spec.name}${defects.length ? ` (defects: ${defects.join(', ')})` : ''}: ${r.runs} schedules in ${(r.elapsedMs / 1000).toFixed(1)} s (${rate.toFixed(0)}/s), seed ${r.seed}${why}`;
  // `interrupted`: a signal stopped the search, so "nothing found" covers only what was explored.
  const stopped = { timeBudgetReached: r.interrupted && signal === null, interrupted: signal !== null, ...(signal ? { signal } : {}) };
  const cx = r.counterexample;
  if (!cx) {
    if (flags.json) out(JSON.stringify({ ok: signal === null, runs: r.runs, seed: r.seed, elapsedMs: Math.round(r.elapsedMs), ...stopped }));
    else out(`${head}\nno invariant violated${signal ? ' in what was explored' : ''}.`);
    return signal ? signalExitCode(signal) : 0;
  }
  const found = cx.violations.some((v) => v.kind === 'safety') ? 1 : 2;
  const replay = `replay:    npx ihasim check ${quote(file)} --seed ${r.seed} --path ${cx.path}${faultFlags}${defectFlags}`;
  if (!flags.json) {
    // The finding first: if the scenario file cannot be written, nothing that was found is lost.
    out([
      head,
      `COUNTEREXAMPLE (shrunk in ${cx.shrinks} steps to ${cx.schedule.length} fault${cx.schedule.length === 1 ? '' : 's'}): ${cx.text}`,
      ...cx.violations.slice(0, 10).map((v) => `  ${v.invariant}: ${v.message}`),
      cx.yaml,
      replay,
    ].join('\n'));
  }
  const written = await writeScenario(spec, cx, flags.out ?? `${basename(file).replace(/\.ya?ml$/, '')}.counterexample.yaml`, r.seed);
  if (flags.json) {
    out(JSON.stringify({
      ok: false, runs: r.runs, seed: r.seed, path: cx.path, schedule: cx.text, violations: cx.violations,
      scenario: written.ok ? written.path : null, ...(written.ok ? {} : { scenarioError: written.error.message }), ...stopped,
    }));
  } else if (written.ok) {
    out(`wrote ${written.path}\nreproduce: npx ihasim run ${quote(written.path)}${defectFlags}`);
  }
  if (written.ok) return found;
  process.stderr.write(`${formatError(written.error)}\nthe counterexample above was not saved as a scenario; the replay line reproduces it.\n`);
  return written.error.exitCode;
}

type Written = { ok: true; path: string } | { ok: false; error: IhasimError };

/** Writes the counterexample scenario (relative paths: to the working directory); a failure is returned, not thrown. */
async function writeScenario(spec: ScenarioSpec, cx: Counterexample, path: string, checkSeed: number): Promise<Written> {
  try {
    const target = resolve(path);
    await writeCounterexampleScenario(spec, cx, target, { checkSeed });
    return { ok: true, path: target };
  } catch (err) {
    return { ok: false, error: outputError(path, err, '--out') };
  }
}

async function exhaustive(spec: ScenarioSpec, flags: CheckFlags, defects: string[], out: (s: string) => void, stop: StopSignal): Promise<number> {
  const gridMs = flags.grid ? parseDuration(flags.grid) : spec.check.gridMs;
  const r = await runExhaustiveAsync(spec, { depth: flags.depth ?? 1, gridMs, defects, jobs: flags.jobs, shouldStop: () => stop.signal !== null });
  const why = stop.signal ? `, stopped by ${stoppedBy(stop.signal)}` : '';
  out(`ihasim check --exhaustive ${spec.name}: explored ${r.explored} schedules of up to ${flags.depth ?? 1} fault(s) on a ${formatMs(gridMs)} grid in ${(r.elapsedMs / 1000).toFixed(1)} s${why}`);
  if (!r.failure) {
    out(`no invariant violated${stop.signal ? ' in what was explored' : ''}.`);
    return stop.signal ? signalExitCode(stop.signal) : 0;
  }
  out(`VIOLATION with: ${r.failure.text}`);
  for (const v of r.failure.violations.slice(0, 10)) out(`  ${v.invariant}: ${v.message}`);
  return r.failure.violations.some((v) => v.kind === 'safety') ? 1 : 2;
}
