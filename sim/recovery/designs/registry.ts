import type { DesignCapabilities, DesignDefinition } from '../design.js';
import { externalDesign } from './baselines/external.js';
import { noFenceDesign } from './baselines/no-fence.js';
import { notifyDesign } from './baselines/notify.js';
import { operatorDesign } from './baselines/operator.js';
import { masakariDesign } from './masakari/index.js';
import { pacemakerInstanceHa } from './pacemaker-instanceha/index.js';
import { rhosoInstanceHa } from './rhoso-instanceha/index.js';

/**
 * Every recovery design `recovery.policy` may name (docs/model.md "Recovery designs"). The scenario schema's
 * `recovery` block, the defect catalogue and `--help` are generated from this list: a new design is its folder
 * and one line here.
 */
const registered: DesignDefinition[] = [
  pacemakerInstanceHa,
  notifyDesign,
  noFenceDesign,
  operatorDesign,
  externalDesign,
  masakariDesign,
  rhosoInstanceHa,
];

export const DESIGNS: readonly DesignDefinition[] = registered;

/** The default `recovery.policy`. */
export const DEFAULT_DESIGN = 'instanceha';

/** The names `recovery.policy` accepts, in registry order. */
export function designNames(): string[] {
  return DESIGNS.map((d) => d.name);
}

/**
 * Adds a design at run time: for tests (a design with knobs of its own) and embedders. It must happen before the
 * first scenario is validated (the schema is compiled once). Real designs are a line of the list above.
 */
export function registerDesign(definition: DesignDefinition): void {
  if (DESIGNS.some((d) => d.name === definition.name)) throw new RangeError(`recovery design '${definition.name}' is already registered`);
  registered.push(definition);
}

export function designNamed(name: string): DesignDefinition {
  const d = DESIGNS.find((x) => x.name === name);
  if (!d) throw new RangeError(`unknown recovery design '${name}' (known: ${designNames().join(', ')})`);
  return d;
}

/** What the world and the checkers know of a design without knowing its name. */
export function designCapabilities(name: string): DesignCapabilities {
  return designNamed(name).capabilities;
}
