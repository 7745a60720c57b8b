import { IhasimError } from '../errors.js';
import { parseKeyPath } from '../scenario/set-override.js';

/** One `--vary key=v1,v2,…`: a key path and the values (as written, each parsed as YAML by `--set`). */
export interface Vary {
  readonly key: string;
  readonly values: readonly string[];
}

/** One point of the grid: the `key=value` changes that make it, in the order of the `--vary` flags. */
export interface PlanPoint {
  readonly index: number;
  readonly values: Readonly<Record<string, string>>;
}

/** Splits on commas outside brackets, braces and quotes, so `--vary 'k=[a, b],[c]'` has two values. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) { if (c === quote) quote = null; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) { parts.push(text.slice(start, i)); start = i + 1; }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

/** @throws IhasimError `IHASIM_USAGE` for a `--vary` without a key path or without values. */
export function parseVary(text: string): Vary {
  const eq = text.indexOf('=');
  const key = eq > 0 ? text.slice(0, eq).trim() : '';
  if (!key || !parseKeyPath(key)) throw new IhasimError('IHASIM_USAGE', `--vary '${text}': expected key.path=v1,v2,… (e.g. --vary recovery.forceDown=true,false)`);
  const values = splitTopLevel(text.slice(eq + 1));
  if (values.length === 0 || values.some((v) => v === '')) throw new IhasimError('IHASIM_USAGE', `--vary '${text}': give at least one value, separated by commas (found an empty one)`);
  return { key, values };
}

/** The cartesian grid, the first `--vary` varying slowest (like nested loops in flag order). */
export function gridPoints(varies: readonly Vary[]): PlanPoint[] {
  const keys = new Set<string>();
  for (const v of varies) {
    if (keys.has(v.key)) throw new IhasimError('IHASIM_USAGE', `--vary ${v.key} is given twice: list all its values in one --vary`);
    keys.add(v.key);
  }
  let rows: Record<string, string>[] = [{}];
  for (const v of varies) rows = rows.flatMap((row) => v.values.map((value) => ({ ...row, [v.key]: value })));
  return rows.map((values, index) => ({ index, values }));
}

/** The `--set` texts of a point. */
export function pointSets(point: PlanPoint): string[] {
  return Object.entries(point.values).map(([k, v]) => `${k}=${v}`);
}

/** `recovery.forceDown=false, config.x=5s`: how messages name a point. */
export function describePoint(point: PlanPoint): string {
  const sets = pointSets(point);
  return `point ${point.index + 1}${sets.length ? ` (${sets.join(', ')})` : ''}`;
}
