import { basename, join } from 'node:path';
import { loadScenario } from '../scenario/index.js';
import { parseDuration } from '../scenario/duration.js';
import { checkScenario, type CheckResult } from '../check/check-scenario.js';
import { writeCounterexampleScenario } from '../check/counterexample.js';
import { runExhaustive } from '../check/exhaustive.js';
import { validateDefects } from './defect-flags.js';
import { closest } from 'fastest-levenshtein';
import { FAULT_KINDS, type FaultKind, type ScenarioSpec } from '../../sim/scenario-spec.js';
import { IhasimError } from '../errors.js';

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
  out?: string;
  json?: boolean;
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

/** `ihasim check <scenario>`: property-based chaos over the scenario's fault space. Returns the exit code. */
export async function checkCommand(file: string, flags: CheckFlags, out: (s: string) => void): Promise<number> {
  const defects = validateDefects(flags.defect ?? []);
  const spec = withFaultKinds(await loadScenario(file), flags.faults);
  if (flags.runs === 0) throw new IhasimError('IHASIM_USAGE', '--runs 0 checks nothing: give at least 1');
  if (flags.exhaustive) return exhaustive(spec, flags, defects, out);
  let stop = false;
  const onSigint = (): void => void (stop = true);
  process.once('SIGINT', onSigint);
  const progress = process.stderr.isTTY && !process.env.CI;
  const result = await checkScenario(spec, {
    runs: flags.runs, timeBudgetMs: budgetMs(flags), seed: flags.seed, path: flags.path, maxFaults: flags.maxFaults, defects,
    shouldStop: () => stop,
    onRun: progress ? (n) => n % 500 === 0 && process.stderr.write(`\r  ${n} schedules…`) : undefined,
  });
  process.removeListener('SIGINT', onSigint);
  if (progress) process.stderr.write('\r');
  return report(spec, file, result, flags, defects, out);
}

async function report(spec: ScenarioSpec, file: string, r: CheckResult, flags: CheckFlags, defects: string[], out: (s: string) => void): Promise<number> {
  const rate = r.runs / Math.max(r.elapsedMs / 1000, 1e-9);
  const defectFlags = defects.map((d) => ` --defect ${quote(d)}`).join('');
  const faultFlags = flags.faults ? ` --faults ${[...new Set(flags.faults)].join(' ')}` : '';
  const why = r.stopped ? ', stopped by Ctrl-C' : r.interrupted ? ', time budget reached' : '';
  const head = `ihasim check ${spec.name}${defects.length ? ` (defects: ${defects.join(', ')})` : ''}: ${r.runs} schedules in ${(r.elapsedMs / 1000).toFixed(1)} s (${rate.toFixed(0)}/s), seed ${r.seed}${why}`;
  const cx = r.counterexample;
  if (!cx) {
    if (flags.json) out(JSON.stringify({ ok: true, runs: r.runs, seed: r.seed, elapsedMs: Math.round(r.elapsedMs), interrupted: r.interrupted }));
    else out(`${head}\nno invariant violated${r.stopped ? ' in what was explored' : ''}.`);
    return r.stopped ? 130 : 0;
  }
  const target = flags.out ?? join(process.cwd(), `${basename(file).replace(/\.ya?ml$/, '')}.counterexample.yaml`);
  await writeCounterexampleScenario(spec, cx, target);
  const safety = cx.violations.some((v) => v.kind === 'safety');
  const lines = [
    head,
    `COUNTEREXAMPLE (shrunk in ${cx.shrinks} steps to ${cx.schedule.length} fault${cx.schedule.length === 1 ? '' : 's'}): ${cx.text}`,
    ...cx.violations.slice(0, 10).map((v) => `  ${v.invariant}: ${v.message}`),
    cx.yaml,
    `wrote ${target}`,
    `reproduce: npx ihasim run ${quote(target)}${defectFlags}`,
    `replay:    npx ihasim check ${quote(file)} --seed ${r.seed} --path ${cx.path}${faultFlags}${defectFlags}`,
  ];
  if (flags.json) out(JSON.stringify({ ok: false, runs: r.runs, seed: r.seed, path: cx.path, schedule: cx.text, violations: cx.violations, scenario: target }));
  else out(lines.join('\n'));
  return safety ? 1 : 2;
}

async function exhaustive(spec: ScenarioSpec, flags: CheckFlags, defects: string[], out: (s: string) => void): Promise<number> {
  const gridMs = flags.grid ? parseDuration(flags.grid) : spec.check.gridMs;
  const r = runExhaustive(spec, { depth: flags.depth ?? 1, gridMs, defects });
  out(`ihasim check --exhaustive ${spec.name}: explored ${r.explored} schedules of up to ${flags.depth ?? 1} fault(s) on a ${gridMs} ms grid in ${(r.elapsedMs / 1000).toFixed(1)} s`);
  if (!r.failure) {
    out('no invariant violated.');
    return 0;
  }
  out(`VIOLATION with: ${r.failure.text}`);
  for (const v of r.failure.violations.slice(0, 10)) out(`  ${v.invariant}: ${v.message}`);
  return r.failure.violations.some((v) => v.kind === 'safety') ? 1 : 2;
}
