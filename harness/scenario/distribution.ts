import type { Dist } from '../../sim/kernel/dist-types.js';
import { DURATION_EXPECTED, tryParseDuration } from './duration.js';
import type { Issues } from './issues.js';
import type { RawDist, RawDuration } from './raw-types.js';
import { describeValue } from './schema-validate.js';
import type { KeyPath } from './yaml-source.js';

/**
 * Reads a duration the schema already let through (it still checks unit order and millisecond resolution);
 * a problem is recorded and 0 returned so that the other checks go on.
 */
export function readDuration(raw: RawDuration, path: KeyPath, issues: Issues): number {
  const r = tryParseDuration(raw);
  if (r.ok) return r.ms;
  issues.add('schema', path, r.problem, { expected: DURATION_EXPECTED, found: describeValue(raw) });
  return 0;
}

/** Records a value problem of a distribution. */
function bad(issues: Issues, path: KeyPath, message: string): void {
  issues.add('schema', path, message);
}

/** Converts the object forms of a distribution, checking their parameters. */
function fromObject(raw: Exclude<RawDist, RawDuration>, path: KeyPath, issues: Issues): Dist {
  const d = (v: RawDuration, ...sub: (string | number)[]) => readDuration(v, [...path, ...sub], issues);
  if ('uniform' in raw) {
    const [min, max] = [d(raw.uniform[0], 'uniform', 0), d(raw.uniform[1], 'uniform', 1)];
    if (min > max) bad(issues, [...path, 'uniform'], 'uniform bounds are reversed: write `[a, b]` with a ≤ b');
    return { kind: 'uniform', min, max };
  }
  if ('normal' in raw) return { kind: 'normal', mean: d(raw.normal.mean, 'normal', 'mean'), sd: d(raw.normal.sd, 'normal', 'sd') };
  if ('lognormal' in raw) {
    const median = d(raw.lognormal.median, 'lognormal', 'median');
    const p99 = d(raw.lognormal.p99, 'lognormal', 'p99');
    if (median <= 0) bad(issues, [...path, 'lognormal', 'median'], 'a log-normal median must be > 0');
    if (p99 < median) bad(issues, [...path, 'lognormal'], 'a log-normal p99 must be ≥ its median');
    return { kind: 'lognormal', median, p99 };
  }
  if ('exponential' in raw) {
    const mean = d(raw.exponential.mean, 'exponential', 'mean');
    if (mean <= 0) bad(issues, [...path, 'exponential', 'mean'], 'an exponential mean must be > 0');
    return { kind: 'exponential', mean };
  }
  return { kind: 'choice', values: raw.choice.map((v, i) => d(v, 'choice', i)) };
}

/**
 * Converts a distribution as written into a `Dist` in milliseconds: a constant duration, `{uniform: [a, b]}`
 * (a ≤ b), `{normal: {mean, sd}}`, `{lognormal: {median, p99}}` (0 < median ≤ p99), `{exponential: {mean}}`
 * (mean > 0) or `{choice: [...]}` (non-empty, checked by the schema).
 */
export function readDist(raw: RawDist, path: KeyPath, issues: Issues): Dist {
  if (typeof raw === 'string' || typeof raw === 'number') return { kind: 'const', value: readDuration(raw, path, issues) };
  return fromObject(raw, path, issues);
}
