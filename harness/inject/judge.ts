/**
 * Verdicts of the judged invariants over the campaign's history. The invariant checkers are pure functions of a
 * history (harness/history/HISTORY.md); until they are part of this build every invariant is `unknown` here,
 * which a report never counts as a pass (it lists them under warnings).
 */
import type { Observation } from '../history/observation.js';
import type { Verdict } from '../history/verdict.js';

export function judgeHistory(_observations: readonly Observation[], judged: readonly string[]): Verdict[] {
  return judged.map((invariant) => ({ invariant, status: 'unknown', why: 'the history checkers are not in this build' }));
}
