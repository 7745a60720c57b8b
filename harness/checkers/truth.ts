import type { World } from '../../sim/world.js';

/**
 * Where a controller truly stands now, judged on the truth (power and the mgmt network), not on the cluster's
 * agreed view: `down`, `minority` (its live, mutually reachable controllers are not a strict majority of all
 * controllers) or `quorate`. Corosync needs traffic both ways, hence `linked`. A two-controller cluster runs in
 * `two_node` mode, where either half keeps quorum.
 */
export function controllerStanding(world: World, name: string): 'down' | 'minority' | 'quorate' {
  if (!world.controllers.get(name)?.up) return 'down';
  const live = [...world.controllers.values()].filter((c) => c.up).map((c) => c.name);
  const group = [name];
  for (let i = 0; i < group.length; i++) {
    for (const other of live) if (!group.includes(other) && world.nets.linked('mgmt', group[i]!, other)) group.push(other);
  }
  const votes = world.controllers.size;
  return (votes === 2 ? group.length >= 1 : group.length * 2 > votes) ? 'quorate' : 'minority';
}
