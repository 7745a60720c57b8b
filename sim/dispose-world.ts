import type { World } from './world.js';

/**
 * Cut a finished world's object graph, for runners that drop the world once its report is built (`--seeds N`,
 * `ihasim check`, the benchmarks). The world must not be used afterwards.
 *
 * Why: on Node 20 (V8 11.3) a dead world stays reachable until a full GC, so every minor GC copied, then promoted,
 * every world run since the last full GC: about a third of a 16-host rack-loss run went to scavenging. What holds
 * it: sim/adapters/nova-api.ts keeps each world's API queue in a module-level WeakMap keyed by the world, and the
 * queue refers to its world; minor GCs keep such an entry (replacing that map by a field of the world cut the bytes
 * promoted on the rack loss from about 150 KB to 9 KB per seed). Emptying the collections that hold instances and domains leaves
 * those references pointing at a near-empty shell (`bench/` rack: about 550 → 900 seeds/s together with
 * `tuneV8ForSimulation` in harness/v8-tuning.ts).
 */
export function disposeWorld(world: World): void {
  world.instances.clear();
  world.instancesByName.clear();
  for (const host of world.hostList) {
    host.domains.clear();
    host.novaInstances.clear();
    host.allocations.clear();
  }
  world.kernel.clear();
}
