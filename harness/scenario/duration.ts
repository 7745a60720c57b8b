import { IhasimError } from '../errors.js';

/** Milliseconds per unit, largest first: a compound duration must use them in this order, each once. */
const UNITS: readonly (readonly [string, number])[] = [
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

/** The JSON Schema pattern of a duration string (the loader then checks order and resolution). */
export const DURATION_PATTERN = '^([0-9]+(\\.[0-9]+)?(ms|h|m|s))+$';

/** What a duration looks like, for messages. */
export const DURATION_EXPECTED = 'a duration like `500ms`, `20s`, `5m`, `1h30m` or an integer of milliseconds';

/** Outcome of parsing a duration: milliseconds, or why the value is not a duration. */
export type DurationResult = { ok: true; ms: number } | { ok: false; problem: string };

const fail = (problem: string): DurationResult => ({ ok: false, problem });

/** Parses a number of milliseconds: a finite, non-negative safe integer. */
function fromNumber(n: number): DurationResult {
  if (!Number.isFinite(n)) return fail('a duration must be a finite number');
  if (n < 0) return fail('a duration cannot be negative');
  if (!Number.isInteger(n)) return fail('an integer duration counts whole milliseconds; write `1.5s` for fractions');
  if (!Number.isSafeInteger(n)) return fail('the duration is too large');
  return { ok: true, ms: n };
}

/** Milliseconds of `int.frac` × `unit`, exactly, or undefined when finer than a millisecond. */
function scaled(int: string, frac: string, unit: number): number | undefined {
  const whole = Number(int) * unit;
  if (frac === '') return whole;
  const scale = 10 ** frac.length;
  const part = Number(frac) * unit;
  return part % scale === 0 ? whole + part / scale : undefined;
}

/** Parses one `<number><unit>` token at the start of `rest`. */
function token(rest: string): { int: string; frac: string; unit: string; len: number } | undefined {
  const m = /^([0-9]+)(?:\.([0-9]+))?([a-zA-Zµ]*)/.exec(rest);
  if (!m || m[0] === '') return undefined;
  return { int: m[1] ?? '', frac: m[2] ?? '', unit: m[3] ?? '', len: m[0].length };
}

/** Unit words people write, and the unit ihasim takes for each. */
const UNIT_WORDS: Record<string, string> = {
  millisecond: 'ms', milliseconds: 'ms', msec: 'ms', msecs: 'ms',
  sec: 's', secs: 's', second: 's', seconds: 's',
  min: 'm', mins: 'm', minute: 'm', minutes: 'm',
  hr: 'h', hrs: 'h', hour: 'h', hours: 'h',
};

/**
 * What to write instead of `5 minutes`, `1 hour 30 mins` or `10secs`: the same amounts with ihasim's units
 * (`5m`, `1h30m`, `10s`), offered only when that really parses. Undefined when nothing sensible comes out.
 */
function suggestion(text: string): string | undefined {
  const words = text.trim().replace(/([0-9])\s+(?=[a-zA-Z])/g, '$1').split(/\s+/).join('');
  const fixed = words.replace(/[a-zA-Z]+/g, (w) => UNIT_WORDS[w.toLowerCase()] ?? w);
  return fixed !== text.trim() && tryParseDuration(fixed).ok ? fixed : undefined;
}

/** Parses a duration string such as `1h30m` or `1.5s`. */
function fromString(text: string): DurationResult {
  const s = text.trim();
  if (s === '') return fail('the duration is empty');
  if (s.startsWith('-')) return fail('a duration cannot be negative');
  if (/\s/.test(s)) {
    const fix = suggestion(s);
    return fail(fix ? `no spaces inside a duration: write \`${fix}\`` : 'no spaces inside a duration (like `1h30m`)');
  }
  if (/^[0-9]+$/.test(s)) return fail(`missing unit: write \`${s}ms\` or \`${s}s\``);
  let rest = s;
  let total = 0;
  let lastUnit = -1;
  while (rest !== '') {
    const t = token(rest);
    if (!t) return fail(`\`${text}\` is not a duration`);
    const idx = UNITS.findIndex(([u]) => u === t.unit);
    if (t.unit === '') return fail(`missing unit after \`${t.int}${t.frac ? `.${t.frac}` : ''}\` (use ms, s, m or h)`);
    if (idx < 0) {
      const fix = suggestion(s);
      return fail(`unknown unit \`${t.unit}\` (use ms, s, m or h)${fix ? `: write \`${fix}\`` : ''}`);
    }
    if (idx <= lastUnit) return fail('units must go from largest to smallest, each once (like `1h30m`)');
    const ms = scaled(t.int, t.frac, UNITS[idx]![1]);
    if (ms === undefined) return fail('a duration cannot be finer than a millisecond');
    total += ms;
    lastUnit = idx;
    rest = rest.slice(t.len);
  }
  return Number.isSafeInteger(total) ? { ok: true, ms: total } : fail('the duration is too large');
}

/** Parses a duration without throwing: a string with units or an integer of milliseconds. */
export function tryParseDuration(value: unknown): DurationResult {
  if (typeof value === 'number') return fromNumber(value);
  if (typeof value === 'string') return fromString(value);
  return fail(`expected ${DURATION_EXPECTED}`);
}

/**
 * Parses a duration into milliseconds: `500ms`, `20s`, `5m`, `1h`, `1h30m`, `1.5s`, or an integer of ms.
 * Units go from largest to smallest, each at most once; the result is a whole number of milliseconds.
 * @throws IhasimError `IHASIM_SCENARIO_SCHEMA` for anything else (negative, NaN, unknown unit, …).
 */
export function parseDuration(value: string | number): number {
  const r = tryParseDuration(value);
  if (r.ok) return r.ms;
  throw new IhasimError('IHASIM_SCENARIO_SCHEMA', `invalid duration: ${r.problem}`, [
    { message: r.problem, expected: DURATION_EXPECTED, found: JSON.stringify(value) ?? String(value) },
  ]);
}

/**
 * Renders milliseconds compactly, the inverse of {@link parseDuration}: `500ms`, `20s`, `1.5s`, `5m12s`,
 * `1h`, `1h0m30s` is written `1h30s`. Non-integers are rounded to the millisecond; zero is `0s`.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  let rest = Math.round(ms);
  if (rest === 0) return '0s';
  if (rest < 1000) return `${rest}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  const milli = rest - s * 1000;
  let out = (h ? `${h}h` : '') + (m ? `${m}m` : '');
  if (s && milli) out += `${s}.${String(milli).padStart(3, '0').replace(/0+$/, '')}s`;
  else if (s) out += `${s}s`;
  else if (milli) out += `${milli}ms`;
  return out;
}
