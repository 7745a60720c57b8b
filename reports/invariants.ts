/**
 * The invariants ihasim checks, with their stable names (docs/model.md "Invariants"). Reports, tests and the CLI use
 * these names; JUnit renders one test case per entry.
 */

/** Safety invariants are judged at every instant on the truth; liveness ones once faults heal or at the end. */
export type InvariantKind = 'safety' | 'liveness';

/** One checked invariant: its stable name, its kind and what it means in one line. */
export interface InvariantInfo {
  readonly name: string;
  readonly kind: InvariantKind;
  readonly meaning: string;
}

/** Every invariant, safety first, in the order of docs/model.md "Invariants". */
export const INVARIANTS = [
  {
    name: 'no-double-run',
    kind: 'safety',
    meaning: 'At most one executing domain per instance, across all hypervisors.',
  },
  {
    name: 'no-split-writes',
    kind: 'safety',
    meaning: 'At most one writer per shared disk or volume.',
  },
  {
    name: 'fence-before-evacuate',
    kind: 'safety',
    meaning: 'No evacuation of an instance from host H is accepted before H is confirmed powered off.',
  },
  {
    name: 'opt-in-respected',
    kind: 'safety',
    meaning: "An instance the policy's filter excludes is never evacuated.",
  },
  {
    name: 'capacity-respected',
    kind: 'safety',
    meaning: 'No host exceeds its allocation ratios.',
  },
  {
    name: 'quorum-respected',
    kind: 'safety',
    meaning: 'No fencing or recovery is initiated by a partition without quorum.',
  },
  {
    name: 'recovery-bounded',
    kind: 'liveness',
    meaning:
      "Every eligible instance on a failed host is running again within the scenario's bound, unless the run shows exactly one reason why it could not be.",
  },
  {
    name: 'convergence',
    kind: 'liveness',
    meaning:
      "After faults heal and a settle time, Nova's view equals the truth and no healthy host is left forced down or disabled by recovery.",
  },
  {
    name: 'servers-placed',
    kind: 'liveness',
    meaning: 'Every server of the scenario could be placed on a host and was running at the start.',
  },
] as const satisfies readonly InvariantInfo[];

/** The stable name of a known invariant. */
export type InvariantName = (typeof INVARIANTS)[number]['name'];

/** Looks up an invariant by name; `undefined` for a name ihasim does not define. */
export function findInvariant(name: string): InvariantInfo | undefined {
  return INVARIANTS.find((inv) => inv.name === name);
}
