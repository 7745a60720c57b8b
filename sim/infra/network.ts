import type { NetworkName } from '../scenario-spec.js';

/** A cut on one network between groups of nodes. Nodes in no group are not affected. */
export interface Partition {
  readonly id: number;
  readonly network: NetworkName;
  readonly groups: readonly ReadonlySet<string>[];
  /** Only traffic from groups[0] to the other groups is cut; the reverse still flows. */
  readonly oneWay: boolean;
}

/**
 * The four networks (mgmt, ipmi, storage, tenant) and their faults: partitions (possibly asymmetric) and NICs
 * that are down. Reachability is judged per network, per ordered pair. `version` changes on every change so
 * observers can tell when to re-evaluate.
 */
export class Networks {
  private readonly partitions: Partition[] = [];
  private readonly nicDown = new Map<string, Set<NetworkName>>();
  private nextId = 1;
  version = 0;

  partition(network: NetworkName, groups: readonly string[][], oneWay: boolean): Partition {
    const p: Partition = { id: this.nextId++, network, groups: groups.map((g) => new Set(g)), oneWay };
    this.partitions.push(p);
    this.version++;
    return p;
  }

  /** Heal one partition, or every partition on `network`, or all of them. */
  heal(filter: { id?: number; network?: NetworkName } = {}): number {
    const before = this.partitions.length;
    for (let i = this.partitions.length - 1; i >= 0; i--) {
      const p = this.partitions[i]!;
      if ((filter.id === undefined || p.id === filter.id) && (filter.network === undefined || p.network === filter.network)) {
        this.partitions.splice(i, 1);
      }
    }
    if (this.partitions.length !== before) this.version++;
    return before - this.partitions.length;
  }

  setNic(node: string, network: NetworkName, up: boolean): void {
    let down = this.nicDown.get(node);
    if (!down) this.nicDown.set(node, (down = new Set()));
    if (up) down.delete(network);
    else down.add(network);
    this.version++;
  }

  nicUp(node: string, network: NetworkName): boolean {
    // Asked for every reachability judgement (several per truth change); most runs never take a NIC down.
    if (this.nicDown.size === 0) return true;
    return !this.nicDown.get(node)?.has(network);
  }

  /** Can a packet from `from` reach `to` on `network`? */
  canSend(network: NetworkName, from: string, to: string): boolean {
    if (from === to) return true;
    if (!this.nicUp(from, network) || !this.nicUp(to, network)) return false;
    for (const p of this.partitions) {
      if (p.network === network && cuts(p, from, to)) return false;
    }
    return true;
  }

  /** A connection (TCP, corosync) needs both directions. */
  linked(network: NetworkName, a: string, b: string): boolean {
    return this.canSend(network, a, b) && this.canSend(network, b, a);
  }

  active(): readonly Partition[] {
    return this.partitions;
  }
}

function groupOf(p: Partition, node: string): number {
  for (let i = 0; i < p.groups.length; i++) if (p.groups[i]!.has(node)) return i;
  return -1;
}

function cuts(p: Partition, from: string, to: string): boolean {
  const gf = groupOf(p, from);
  const gt = groupOf(p, to);
  if (gf < 0 || gt < 0 || gf === gt) return false;
  return p.oneWay ? gf === 0 : true;
}
