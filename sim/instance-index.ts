import { uuidIndex } from './ids.js';
import type { Instance } from './instance.js';

/**
 * All instances, in scenario order. Instance UUIDs carry their position (Ids.indexedUuid), so a lookup by UUID
 * is O(1) with no map over hundreds of thousands of 36-character keys.
 */
export class InstanceIndex {
  private readonly list: Instance[] = [];

  /** Add the next instance; its UUID must come from `Ids.indexedUuid(this.size)`. */
  add(inst: Instance): void {
    this.list.push(inst);
  }

  /** Forget every instance (disposeWorld: the run is over). */
  clear(): void {
    this.list.length = 0;
  }

  get size(): number {
    return this.list.length;
  }

  values(): IterableIterator<Instance> {
    return this.list.values();
  }

  get(uuid: string): Instance | undefined {
    const inst = this.list[uuidIndex(uuid)];
    return inst !== undefined && inst.uuid === uuid ? inst : undefined;
  }
}
