/**
 * The stable invariant names (docs/model.md "Invariants"). Reports, the CLI and `expect` in scenarios use exactly these.
 * Safety invariants first, then liveness.
 */
export const INVARIANT_NAMES = [
  'no-double-run',
  'no-split-writes',
  'fence-before-evacuate',
  'opt-in-respected',
  'capacity-respected',
  'quorum-respected',
  'recovery-bounded',
  'convergence',
  'servers-placed',
] as const;

/** One of {@link INVARIANT_NAMES}. */
export type InvariantName = (typeof INVARIANT_NAMES)[number];

/** True when `name` is a known invariant name. */
export function isInvariantName(name: string): name is InvariantName {
  return (INVARIANT_NAMES as readonly string[]).includes(name);
}
