import { IhasimError } from '../errors.js';

/** Most names one pattern may expand to: a guard against `{1..999999999}` exhausting memory. */
export const MAX_EXPANSION = 1_000_000;

/** Outcome of expanding a brace pattern: the names, or why the pattern is wrong. */
export type BraceResult = { ok: true; names: string[] } | { ok: false; problem: string };

/** A pattern split into literal text and brace groups, each group a list of alternatives. */
type Part = string | string[];

/** `{a..b}` over integers; padding is kept when a bound has a leading zero (width of the wider bound). */
function numericRange(lo: string, hi: string): string[] | string {
  const a = Number(lo);
  const b = Number(hi);
  if (a > b) return `reversed range \`{${lo}..${hi}}\` (write \`{${hi}..${lo}}\`)`;
  if (b - a + 1 > MAX_EXPANSION) return `range \`{${lo}..${hi}}\` is too large (at most ${MAX_EXPANSION} names)`;
  const padded = (lo.length > 1 && lo.startsWith('0')) || (hi.length > 1 && hi.startsWith('0'));
  const width = padded ? Math.max(lo.length, hi.length) : 0;
  const out: string[] = [];
  for (let i = a; i <= b; i++) out.push(String(i).padStart(width, '0'));
  return out;
}

/** `{a..e}` over single letters of the same case. */
function letterRange(lo: string, hi: string): string[] | string {
  const a = lo.charCodeAt(0);
  const b = hi.charCodeAt(0);
  if (a > b) return `reversed range \`{${lo}..${hi}}\` (write \`{${hi}..${lo}}\`)`;
  const out: string[] = [];
  for (let c = a; c <= b; c++) out.push(String.fromCharCode(c));
  return out;
}

/** The alternatives of one brace group's body: `01..16`, `a..e` or `x,y,z`. */
function groupValues(body: string): string[] | string {
  if (body === '') return 'empty braces `{}`';
  const num = /^([0-9]+)\.\.([0-9]+)$/.exec(body);
  if (num) return numericRange(num[1]!, num[2]!);
  const letters = /^([a-z])\.\.([a-z])$|^([A-Z])\.\.([A-Z])$/.exec(body);
  if (letters) return letterRange(letters[1] ?? letters[3]!, letters[2] ?? letters[4]!);
  if (body.includes('..')) return `\`{${body}}\` is not a range (write \`{1..4}\`, \`{01..16}\` or \`{a..d}\`)`;
  if (!body.includes(',')) return `\`{${body}}\` has a single value (write \`{a,b}\` or \`{1..4}\`)`;
  const items = body.split(',');
  if (items.some((i) => i === '')) return `empty item in list \`{${body}}\``;
  return items;
}

/** Splits a pattern into literals and brace groups. */
function split(pattern: string): Part[] | string {
  const parts: Part[] = [];
  let i = 0;
  while (i < pattern.length) {
    const open = pattern.indexOf('{', i);
    const stray = pattern.indexOf('}', i);
    if (stray >= 0 && (open < 0 || stray < open)) return `unmatched \`}\` in \`${pattern}\``;
    if (open < 0) {
      parts.push(pattern.slice(i));
      break;
    }
    const close = pattern.indexOf('}', open);
    if (close < 0) return `unmatched \`{\` in \`${pattern}\``;
    const body = pattern.slice(open + 1, close);
    if (body.includes('{')) return `nested braces are not supported in \`${pattern}\``;
    const values = groupValues(body);
    if (typeof values === 'string') return values;
    parts.push(pattern.slice(i, open), values);
    i = close + 1;
  }
  return parts;
}

/** Expands a brace pattern without throwing. */
export function tryExpandBraces(pattern: string): BraceResult {
  const parts = split(pattern);
  if (typeof parts === 'string') return { ok: false, problem: parts };
  const count = parts.reduce((n, p) => n * (typeof p === 'string' ? 1 : p.length), 1);
  if (count > MAX_EXPANSION) return { ok: false, problem: `\`${pattern}\` expands to ${count} names (at most ${MAX_EXPANSION})` };
  let names = [''];
  for (const p of parts) {
    const alts = typeof p === 'string' ? [p] : p;
    names = names.flatMap((prefix) => alts.map((a) => prefix + a));
  }
  return { ok: true, names };
}

/**
 * Expands brace ranges and lists in a name, as a shell does: `compute-{01..16}` (zero padding kept, width of
 * the wider bound), `r{1..2}`, `{a..d}`, `{web,db}-1`. Several groups multiply, the leftmost varying slowest.
 * A name without braces expands to itself.
 * @throws IhasimError `IHASIM_SCENARIO_SEMANTIC` for an empty, reversed or malformed range.
 */
export function expandBraces(pattern: string): string[] {
  const r = tryExpandBraces(pattern);
  if (r.ok) return r.names;
  throw new IhasimError('IHASIM_SCENARIO_SEMANTIC', `invalid name pattern: ${r.problem}`, [
    { message: r.problem, found: pattern },
  ]);
}

/** True when the text contains a brace group. */
export function hasBraces(text: string): boolean {
  return text.includes('{') || text.includes('}');
}

/**
 * Spreads `count` entities over `values` in contiguous blocks, as evenly as possible with earlier blocks
 * larger: 16 over [r1, r2] gives 8 + 8; 10 over [a, b, c] gives 4 + 3 + 3. Returns the value of each entity.
 */
export function spreadOver<T>(count: number, values: readonly T[]): T[] {
  const out: T[] = [];
  const base = Math.floor(count / values.length);
  const extra = count % values.length;
  values.forEach((v, i) => {
    const size = base + (i < extra ? 1 : 0);
    for (let k = 0; k < size; k++) out.push(v);
  });
  return out;
}
