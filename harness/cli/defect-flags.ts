import { closest } from 'fastest-levenshtein';
import { defectNames } from '../check/defects.js';
import { IhasimError } from '../errors.js';

/** `--defect` values must name catalogued defects (a typo would silently test the correct logic). */
export function validateDefects(names: readonly string[]): string[] {
  const known = defectNames();
  for (const n of names) {
    if (!known.includes(n)) {
      throw new IhasimError('IHASIM_USAGE', `unknown defect '${n}' (did you mean '${closest(n, known)}'?); list them with: ihasim check --list-defects`);
    }
  }
  return [...names];
}
