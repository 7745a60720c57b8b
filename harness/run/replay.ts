import type { ScenarioSpec } from '../../sim/scenario-spec.js';

const quote = (s: string): string => (/^[\w./@:=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The exact command that replays a run. */
export function replayCommand(spec: ScenarioSpec, seed: number, defects: readonly string[] = []): string {
  const file = spec.file ?? `<scenario ${spec.name}>`;
  const extra = defects.map((d) => ` --defect ${quote(d)}`).join('');
  return `npx ihasim run ${quote(file)} --seed ${seed}${extra}`;
}
