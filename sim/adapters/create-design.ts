import type { DesignDefinition } from '../recovery/design.js';
import { designNamed } from '../recovery/designs/registry.js';
import type { ScenarioSpec } from '../scenario-spec.js';
import type { World } from '../world.js';
import { simDesignPorts } from './design-ports.js';

/** A design's resolved config depends on the scenario only: resolved once per scenario, reused by every seed. */
const resolved = new WeakMap<ScenarioSpec, unknown>();

/** The design `recovery.policy` names, from the registry, on the simulated ports: the world's `design`. */
export function createDesign(world: World): void {
  const definition = designNamed(world.spec.recovery.policy);
  world.designDefinition = definition;
  world.design = definition.create(simDesignPorts(world, definition), resolvedConfig(definition, world.spec));
}

function resolvedConfig(definition: DesignDefinition, spec: ScenarioSpec): unknown {
  if (resolved.has(spec)) return resolved.get(spec);
  const config = definition.resolve({ ...spec.recovery.options, policy: definition.name }, { recovery: spec.recovery, config: spec.config });
  resolved.set(spec, config);
  return config;
}
