import type { Instance } from './instance.js';
import type { ScenarioSpec } from './scenario-spec.js';

/**
 * Instances by server name. The names are the scenario's, so where each one sits is worked out once per scenario
 * (the spec is frozen and shared by every seed); a seed's world only fills an array sized to its servers, where a
 * map of 320 string keys per seed was one of the larger costs of building a world.
 */
export class InstancesByName {
  private readonly list: Instance[];
  private count = 0;

  constructor(private readonly positions: ReadonlyMap<string, number>, size: number) {
    this.list = new Array<Instance>(size);
  }

  static of(spec: ScenarioSpec): InstancesByName {
    return new InstancesByName(namePositions(spec), spec.servers.length);
  }

  /** Add the next server's instance (scenario order, as `World.instances`). */
  add(inst: Instance): void {
    this.list[this.count++] = inst;
  }

  get(name: string): Instance | undefined {
    const i = this.positions.get(name);
    return i === undefined ? undefined : this.list[i];
  }

  /** Forget every instance (disposeWorld: the run is over). */
  clear(): void {
    this.list.length = 0;
    this.count = 0;
  }
}

const positionsBySpec = new WeakMap<ScenarioSpec, ReadonlyMap<string, number>>();

/** Each server name's position in `spec.servers` (a repeated name: its last one, as a map built by `set` in order). */
function namePositions(spec: ScenarioSpec): ReadonlyMap<string, number> {
  let positions = positionsBySpec.get(spec);
  if (!positions) {
    positions = new Map(spec.servers.map((s, i) => [s.name, i]));
    positionsBySpec.set(spec, positions);
  }
  return positions;
}
