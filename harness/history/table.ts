import type { CheckerEntry } from './checker.js';
import { CAPACITY_RESPECTED, QUORUM_RESPECTED } from './checkers/cluster.js';
import { CONVERGENCE, SERVERS_PLACED } from './checkers/convergence.js';
import { NO_DOUBLE_RUN, NO_SPLIT_WRITES } from './checkers/double-run.js';
import { FENCE_BEFORE_EVACUATE, OPT_IN_RESPECTED } from './checkers/evacuation.js';
import { RECOVERY_BOUNDED } from './checkers/recovery-bounded.js';

/**
 * THE invariant table: every invariant ihasim judges, as a checker over a history, in the order of
 * reports/invariants.ts. `run`, `check`, `serve`, `judge` and `inject` all judge with it.
 */
export const INVARIANT_TABLE: readonly CheckerEntry[] = [
  NO_DOUBLE_RUN, NO_SPLIT_WRITES, FENCE_BEFORE_EVACUATE, OPT_IN_RESPECTED, CAPACITY_RESPECTED, QUORUM_RESPECTED,
  RECOVERY_BOUNDED, CONVERGENCE, SERVERS_PLACED,
];
