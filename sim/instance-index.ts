import type { Instance } from './instance.js';

/**
 * All instances, in scenario order. The by-UUID map (for API lookups) is built on first use: most runs never
 * look an instance up by UUID, and hashing 36-character keys was a measurable part of building a world.
 */
export class InstanceIndex {
  private readonly list: Instance[] = [];
  private byUuid: Map<string, Instance> | null = null;

  add(inst: Instance): void {
    this.list.push(inst);
    this.byUuid?.set(inst.uuid, inst);
  }

  get size(): number {
    return this.list.length;
  }

  values(): IterableIterator<Instance> {
    return this.list.values();
  }

  get(uuid: string): Instance | undefined {
    if (!this.byUuid) {
      this.byUuid = new Map();
      for (const i of this.list) this.byUuid.set(i.uuid, i);
    }
    return this.byUuid.get(uuid);
  }
}
