/** Stable invariant names (docs/model.md "Invariants"): reports, tests and the CLI use them. */
export const SAFETY_INVARIANTS = [
  'no-double-run', 'no-split-writes', 'fence-before-evacuate', 'opt-in-respected', 'capacity-respected', 'quorum-respected',
] as const;
export const LIVENESS_INVARIANTS = ['recovery-bounded', 'convergence', 'servers-placed'] as const;
export const INVARIANT_LIST: readonly string[] = [...SAFETY_INVARIANTS, ...LIVENESS_INVARIANTS];
