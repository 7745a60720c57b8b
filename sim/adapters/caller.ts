import type { World } from '../world.js';

/**
 * Where the running recovery process is (sim/kernel/process.ts `ProcessRunner.current`): the controller it runs on
 * (judged by `quorum-respected`), else the compute it runs on, else null (outside the cluster: an operator, a pod).
 * A design never says where a call comes from; its place, given when it was spawned, does.
 */
export function callerController(world: World): string | null {
  return world.processes.current?.owner ?? null;
}

/** The network node a call leaves from (a controller or a compute), or null for outside the site's networks. */
export function callerNode(world: World): string | null {
  const p = world.processes.current;
  return p?.owner ?? p?.host ?? null;
}
