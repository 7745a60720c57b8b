/** Matching names: did-you-mean suggestions for typos, and shell-style globs over entity names. */

import { distance } from 'fastest-levenshtein';

/** Lower-cases and drops `_`, `-` and spaces, so `report_interval` and `reportInterval` compare equal. */
function fold(s: string): string {
  return s.toLowerCase().replace(/[_\-\s]/g, '');
}

/**
 * The candidate closest to `word`, when it is close enough to be a plausible typo: equal after folding case
 * and separators, or within an edit distance of max(2, a third of its length). Ties keep the earlier one.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const folded = fold(word);
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const score = fold(c) === folded ? 0 : distance(word, c);
    if (score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return bestScore <= limit ? best : undefined;
}

/** ` (did you mean `x`?)` when a close candidate exists, else an empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const hit = closest(word, candidates);
  return hit === undefined ? '' : ` (did you mean \`${hit}\`?)`;
}

/** A short rendering of a list for messages: `a, b, c` or `a, b, … (12 in all)`. */
export function listSome(items: readonly string[], max = 10): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')}, … (${items.length} in all)`;
}

/** True when a name holds a glob wildcard (`*` or `?`). */
export function isGlob(text: string): boolean {
  return text.includes('*') || text.includes('?');
}

/** A shell-style glob as an anchored regular expression: `*` any run of characters, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** The names of `pool` a name or glob matches, in pool order. */
export function matchPattern(pattern: string, pool: readonly string[]): string[] {
  if (!isGlob(pattern)) return pool.includes(pattern) ? [pattern] : [];
  const re = globToRegExp(pattern);
  return pool.filter((n) => re.test(n));
}
