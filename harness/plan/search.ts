import { IhasimError } from '../errors.js';
import { formatDuration, tryParseDuration } from '../scenario/duration.js';
import { parseKeyPath } from '../scenario/set-override.js';
import { formatThreshold, meets, metricValue, type Target } from './target.js';
import type { PointSummary } from './summary.js';

/** `--search key=lo..hi`: the key and its candidate values in increasing order, as `--set` values. */
export interface SearchSpace {
  key: string;
  candidates: string[];
}

const usage = (msg: string): IhasimError => new IhasimError('IHASIM_USAGE', msg);

/**
 * Parses `--search key=lo..hi` (integers, step 1 by default) or `key=5s..60s` (durations, `--step` required).
 * `template` (`--as 'spare-{1..%v}'`) turns each value into the text set, for keys whose value is not a bare number.
 */
export function parseSearch(text: string, step: string | undefined, template: string | undefined): SearchSpace {
  const m = /^([^=]+)=([^=]+)\.\.([^=.][^=]*)$/.exec(text.trim());
  if (!m || !parseKeyPath(m[1]!.trim())) throw usage(`--search '${text}': expected key.path=lo..hi (e.g. --search 'config.pacemaker.remoteMonitorInterval=5s..60s' --step 5s)`);
  const key = m[1]!.trim();
  const [lo, hi] = [m[2]!.trim(), m[3]!.trim()];
  let values: number[];
  let show: (n: number) => string;
  if (/^\d+$/.test(lo) && /^\d+$/.test(hi)) {
    const s = step === undefined ? 1 : Number(step);
    if (!(Number.isInteger(s) && s >= 1)) throw usage(`--step takes a whole number ≥ 1 for an integer --search, found '${step}'`);
    values = range(Number(lo), Number(hi), s);
    show = String;
  } else {
    const [a, b, st] = [tryParseDuration(lo), tryParseDuration(hi), step === undefined ? undefined : tryParseDuration(step)];
    if (!a.ok || !b.ok) throw usage(`--search '${text}': the bounds are neither whole numbers nor durations`);
    if (!st || !st.ok || st.ms <= 0) throw usage(`--search over durations needs --step DURATION (e.g. --step 5s)${step ? `, found '${step}'` : ''}`);
    values = range(a.ms, b.ms, st.ms);
    show = formatDuration;
  }
  if (values.length < 2) throw usage(`--search '${text}': the range must hold at least two values (lo < hi)`);
  if (values.length > 100_000) throw usage(`--search '${text}': ${values.length} candidate values; widen --step`);
  if (template !== undefined && !template.includes('%v')) throw usage(`--as '${template}' must contain %v (where the value goes)`);
  return { key, candidates: values.map((v) => (template ? template.replaceAll('%v', show(v)) : show(v))) };
}

function range(lo: number, hi: number, step: number): number[] {
  const out: number[] = [];
  for (let v = lo; v <= hi; v += step) out.push(v);
  return out;
}

export type SearchVerdict = 'found' | 'none-meets' | 'non-monotone';

export interface SearchOutcome {
  key: string;
  direction: 'smallest' | 'largest';
  candidates: string[];
  /** Candidate indexes in the order they were evaluated. */
  evaluated: number[];
  verdict: SearchVerdict;
  answer: string | null;
  message: string;
}

/**
 * Bisection for the smallest (or, with `maximize`, largest) candidate meeting the target, assuming monotonicity:
 * once a value meets it, every value further out does. The bounds are evaluated first. Evidence against
 * monotonicity (a value meeting the target while one further out does not) is said plainly.
 */
export async function bisect(
  space: SearchSpace, target: Target, maximize: boolean, evaluate: (index: number) => Promise<PointSummary | null>,
): Promise<SearchOutcome | null> {
  const n = space.candidates.length;
  // Walk "outward": for the smallest value, from lo to hi; for the largest, from hi down to lo.
  const at = (k: number): number => (maximize ? n - 1 - k : k);
  const evaluated: number[] = [];
  const pass = new Map<number, boolean>();
  const run = async (k: number): Promise<boolean | null> => {
    const i = at(k);
    const s = await evaluate(i);
    if (!s) return null;
    evaluated.push(i);
    pass.set(k, meets(s, target));
    return pass.get(k)!;
  };
  const base = { key: space.key, direction: maximize ? 'largest' as const : 'smallest' as const, candidates: space.candidates, evaluated };
  const name = (k: number): string => `${space.key}=${space.candidates[at(k)]}`;
  const inner = await run(0);
  const outer = inner === null ? null : await run(n - 1);
  if (inner === null || outer === null) return null;
  const further = maximize ? 'smaller' : 'larger';
  if (!outer) {
    const message = inner
      ? `the evidence contradicts monotonicity: ${name(0)} meets ${target.text} but ${name(n - 1)}, further out, does not; no answer is given`
      : `no value in the range meets ${target.text} (${name(0)} and ${name(n - 1)} both fail; the search assumes ${further} values are no worse)`;
    return { ...base, verdict: inner ? 'non-monotone' : 'none-meets', answer: null, message };
  }
  if (inner) return { ...base, verdict: 'found', answer: space.candidates[at(0)]!, message: `${name(0)}, the ${maximize ? 'upper' : 'lower'} bound itself, meets ${target.text}: widen the range to learn more` };
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const ok = await run(mid);
    if (ok === null) return null;
    if (ok) hi = mid;
    else lo = mid;
  }
  return { ...base, verdict: 'found', answer: space.candidates[at(hi)]!, message: `${name(hi)} is the ${base.direction} value meeting ${target.text} (${name(lo)} does not), assuming monotonicity` };
}

/** One line per evaluated value, for the terminal. */
export function describeTarget(target: Target, s: PointSummary): string {
  const v = metricValue(s, target);
  const shown = v === null ? '—' : target.metric === 'recovered-fraction' ? v.toFixed(4) : formatDuration(v);
  return `${target.metric}${target.withinMs !== null ? `(${formatDuration(target.withinMs)})` : ''} = ${shown} (target ${target.comparison} ${formatThreshold(target)})`;
}
