import type { World } from './world.js';

/**
 * Cut a finished world's object graph, for runners that drop the world once its report is built (`--seeds N`,
 * `ihasim check`, the benchmarks). The world must not be used afterwards.
 *
 * Why: on Node 20 (V8 11.3) anything an old-space object still points at survives minor GCs, and a world that
 * survives two of them is promoted. The worst holder was a module-level WeakMap keyed by the world (Nova's API
 * queue, now a field of the world: sim/world.ts `novaApiQueue`), whose entries minor GCs keep: every world run since
 * the last full GC was copied and promoted. Emptying the collections that hold instances and domains leaves any
 * reference that remains pointing at a near-empty shell, so a holder added later costs little.
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
