import type { Controller } from '../../sim/infra/controller.js';
import type { World } from '../../sim/world.js';
import type { ControllerStanding } from '../history/observation.js';

/**
 * Where a controller truly stands now, judged on the truth (power and the mgmt network), not on the cluster's
 * agreed view: `down`, `minority` (its live, mutually reachable controllers are not a strict majority of all
 * controllers) or `quorate`. Corosync needs traffic both ways, hence `linked`. A two-controller cluster runs in
 * `two_node` mode, where either half keeps quorum.
 */
export function controllerStanding(world: World, name: string): ControllerStanding {
  if (!world.controllers.get(name)?.up) return 'down';
  const live = [...world.controllers.values()].filter((c) => c.up).map((c) => c.name);
  const group = [name];
  for (let i = 0; i < group.length; i++) {
    for (const other of live) if (!group.includes(other) && world.nets.linked('mgmt', group[i]!, other)) group.push(other);
  }
  const votes = world.controllers.size;
  return (votes === 2 ? group.length >= 1 : group.length * 2 > votes) ? 'quorate' : 'minority';
}

/**
 * {@link controllerStanding} of one world, remembered until what it reads changes: which controllers exist and are
 * up, and the networks (`Networks.version` moves on every partition, heal and NIC change). The simulator asks at
 * every fencing and evacuation (hundreds of times a run) while the topology changes a few times; checking the
 * stamp on each call, rather than trusting a change signal, keeps it exact whoever changes the world (faults,
 * `ihasim serve`'s control API, a test).
 */
export class StandingMemo {
  private readonly byName = new Map<string, ControllerStanding>();
  private netsVersion = -1;
  private readonly controllers: Controller[] = [];
  private readonly up: boolean[] = [];

  constructor(private readonly world: World) {}

  of(name: string): ControllerStanding {
    if (!this.fresh()) this.restamp();
    let standing = this.byName.get(name);
    if (standing === undefined) this.byName.set(name, (standing = controllerStanding(this.world, name)));
    return standing;
  }

  private fresh(): boolean {
    const world = this.world;
    if (world.nets.version !== this.netsVersion || world.controllers.size !== this.controllers.length) return false;
    let i = 0;
    for (const c of world.controllers.values()) {
      if (c !== this.controllers[i] || c.up !== this.up[i]) return false;
      i++;
    }
    return true;
  }

  private restamp(): void {
    this.byName.clear();
    this.netsVersion = this.world.nets.version;
    this.controllers.length = 0;
    this.up.length = 0;
    for (const c of this.world.controllers.values()) {
      this.controllers.push(c);
      this.up.push(c.up);
    }
  }
}
