import type { World } from '../world.js';

/** The agreed membership: which controllers act (the DC of each acting partition). */
export interface MembershipView {
  /** DCs that run monitors, fencing and recovery: the quorate partition's, or none. */
  actingDcs: string[];
  /** Every partition's members and whether it has quorum, for the `quorum-respected` checker. */
  partitions: { members: string[]; quorate: boolean; dc: string }[];
}

/** Connected components of live controllers on `mgmt` (corosync needs both directions). */
function components(world: World): string[][] {
  const up = [...world.controllers.values()].filter((c) => c.up).map((c) => c.name);
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const start of up) {
    if (seen.has(start)) continue;
    const group = [start];
    seen.add(start);
    for (let i = 0; i < group.length; i++) {
      for (const other of up) {
        if (!seen.has(other) && world.nets.linked('mgmt', group[i]!, other)) {
          seen.add(other);
          group.push(other);
        }
      }
    }
    out.push(group.sort());
  }
  return out;
}

/**
 * What corosync would agree on now: partitions, quorum (strict majority of all configured votes), a DC per
 * partition (lowest name). Only the quorate partition acts (no-quorum-policy=stop), unless the
 * `minority-partition-acts` defect is on. Two-node clusters (votes 2) have no majority after a split; real
 * deployments use `two_node` mode with a fence delay — modelled as: each half is quorate (and races).
 */
export function computeMembership(world: World): MembershipView {
  const votes = world.controllers.size;
  const parts = components(world).map((members) => ({
    members,
    quorate: votes === 2 ? members.length >= 1 : members.length * 2 > votes,
    dc: members[0]!,
  }));
  const acting = world.hasDefect('minority-partition-acts') ? parts : parts.filter((p) => p.quorate);
  return { actingDcs: acting.map((p) => p.dc), partitions: parts };
}

export function sameView(a: MembershipView, b: MembershipView): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
