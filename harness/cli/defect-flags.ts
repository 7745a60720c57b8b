import { closest } from 'fastest-levenshtein';
import { DEFECT_NAMES } from '../check/defects.js';
import { IhasimError } from '../errors.js';

/** `--defect` values must name catalogued defects (a typo would silently test the correct logic). */
export function validateDefects(names: readonly string[]): string[] {
  for (const n of names) {
    if (!DEFECT_NAMES.includes(n)) {
      throw new IhasimError('IHASIM_USAGE', `unknown defect '${n}' (did you mean '${closest(n, [...DEFECT_NAMES])}'?); list them with: ihasim check --list-defects`);
    }
  }
  return [...names];
}
