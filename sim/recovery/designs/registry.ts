import type { DesignCapabilities, DesignDefinition } from '../design.js';
import { externalDesign } from './baselines/external.js';
import { noFenceDesign } from './baselines/no-fence.js';
import { notifyDesign } from './baselines/notify.js';
import { operatorDesign } from './baselines/operator.js';
import { pacemakerInstanceHa } from './pacemaker-instanceha/index.js';
import { rhosoInstanceHa } from './rhoso-instanceha/index.js';

/**
 * Every recovery design `recovery.policy` may name (docs/model.md "Recovery designs"). The scenario schema's
 * `recovery` block, the defect catalogue and `--help` are generated from this list: a new design is its folder
 * and one line here.
 */
export const DESIGNS: readonly DesignDefinition[] = [
  pacemakerInstanceHa,
  notifyDesign,
  noFenceDesign,
  operatorDesign,
  externalDesign,
  rhosoInstanceHa,
];

/** The default `recovery.policy`. */
export const DEFAULT_DESIGN = 'instanceha';

export const DESIGN_NAMES: readonly string[] = DESIGNS.map((d) => d.name);

export function designNamed(name: string): DesignDefinition {
  const d = DESIGNS.find((x) => x.name === name);
  if (!d) throw new RangeError(`unknown recovery design '${name}' (known: ${DESIGN_NAMES.join(', ')})`);
  return d;
}

/** What the world and the checkers know of a design without knowing its name. */
export function designCapabilities(name: string): DesignCapabilities {
  return designNamed(name).capabilities;
}
