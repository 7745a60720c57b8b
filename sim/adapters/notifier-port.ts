import { sleep, type Op } from '../kernel/process.js';
import type { NotifierPort } from '../recovery/ports.js';
import type { World } from '../world.js';

/** NotifierPort into the world's recorded sink (`world.notifications`, `notify.*` trace events). */
export function simNotifier(world: World): NotifierPort {
  return { notify: (kind, entity, detail) => notifyAfterYield(world, kind, entity, detail) };
}

/**
 * Generators are module-level functions, never closures: calling a generator closure gives it an initial map,
 * which lives in V8's old space and points back at the closure and its context, so every world that called one
 * survived minor GCs until the next full GC (one of the paths that kept dead worlds alive; see disposeWorld).
 */
function* notifyAfterYield(world: World, kind: string, entity: string, detail: string): Op<void> {
  yield* sleep(0);
  world.notify(kind, entity, detail);
}
