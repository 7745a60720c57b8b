import { hasBraces, spreadOver, tryExpandBraces } from './braces.js';
import type { Issues } from './issues.js';
import type { KeyPath } from './yaml-source.js';

/** An entry with a `name` and other string attributes that may hold brace ranges too. */
type Named = { name: string };

/** Expands one attribute, recording a problem (and giving the unexpanded text) when it is malformed. */
function expandOne(text: string, path: KeyPath, issues: Issues): string[] {
  const r = tryExpandBraces(text);
  if (r.ok) return r.names;
  issues.add('semantic', path, r.problem, { found: `\`${text}\`` });
  return [];
}

/**
 * Expands the brace ranges of one list entry: one copy per expanded `name`. Each attribute of `spread` that
 * also has a range is spread over the copies in contiguous blocks, as evenly as possible, earlier blocks
 * larger (`compute-{01..16}` with `rack: r{1..2}`: 01–08 in r1, 09–16 in r2).
 */
export function expandEntry<T extends Named>(entry: T, spread: readonly (keyof T & string)[], path: KeyPath, issues: Issues): T[] {
  const names = expandOne(entry.name, [...path, 'name'], issues);
  const copies: T[] = names.map((name) => ({ ...entry, name }));
  for (const key of spread) {
    const value = entry[key];
    if (typeof value !== 'string' || !hasBraces(value)) continue;
    const values = expandOne(value, [...path, key], issues);
    if (values.length === 0) continue;
    const assigned = spreadOver(copies.length, values);
    copies.forEach((c, i) => Object.assign(c, { [key]: assigned[i] }));
  }
  return copies;
}

/** One expanded entity and the index of the list entry it came from (for messages). */
export interface Expanded<T> {
  item: T;
  index: number;
}

/**
 * Expands every entry of a list, and records names that appear more than once (within or across entries,
 * or equal to one of `taken`, such as controller names).
 */
export function expandEntries<T extends Named>(
  entries: readonly T[], spread: readonly (keyof T & string)[], path: KeyPath, issues: Issues, taken: ReadonlySet<string> = new Set(),
): Expanded<T>[] {
  const out: Expanded<T>[] = [];
  const seen = new Map<string, number>();
  entries.forEach((entry, i) => {
    for (const copy of expandEntry(entry, spread, [...path, i], issues)) {
      const first = seen.get(copy.name);
      if (first !== undefined || taken.has(copy.name)) {
        const where = first === undefined ? 'a controller' : first === i ? 'this same entry' : `${path.join('.')}[${first}]`;
        issues.add('semantic', [...path, i, 'name'], `duplicate name \`${copy.name}\` (already defined by ${where})`);
        continue;
      }
      seen.set(copy.name, i);
      out.push({ item: copy, index: i });
    }
  });
  return out;
}
