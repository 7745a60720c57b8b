import type { Violation } from '../../reports/report-types.js';

/**
 * What a checker concludes about one invariant over one history:
 * - `pass`: the history shows it held;
 * - `fail`: it shows a violation (the first instant, as a Violation);
 * - `unknown`: the history lacks the observations needed (`why` says which). Never counted as a pass.
 */
export type Verdict =
  | { invariant: string; status: 'pass' }
  | { invariant: string; status: 'fail'; violations: Violation[] }
  | { invariant: string; status: 'unknown'; why: string };

export type VerdictStatus = Verdict['status'];
