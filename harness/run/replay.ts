import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import { overridesFor } from '../scenario/set-override.js';

const quote = (s: string): string => (/^[\w./@:=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The exact command that replays a run. */
export function replayCommand(spec: ScenarioSpec, seed: number, defects: readonly string[] = []): string {
  const file = spec.file ?? `<scenario ${spec.name}>`;
  // A spec loaded with `--set` replays only with the same changes.
  const sets = overridesFor(spec).map((o) => ` --set ${quote(o)}`).join('');
  const extra = sets + defects.map((d) => ` --defect ${quote(d)}`).join('');
  return `npx ihasim run ${quote(file)} --seed ${seed}${extra}`;
}
