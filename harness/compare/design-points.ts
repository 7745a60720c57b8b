import { readFile } from 'node:fs/promises';
import { parse as parseYaml, stringify } from 'yaml';
import { IhasimError } from '../errors.js';
import { splitTopLevel, type PlanPoint } from '../plan/grid.js';
import { applySetOverrides, parseSetOverride } from '../scenario/set-override.js';
import { designNames, recoveryKeysOf } from './design-schema.js';

/** One design of a comparison: its name and the `recovery:` block it runs with. */
export interface DesignPoint {
  design: string;
  recovery: Record<string, unknown>;
}

/** `--designs a,b,c`: known names, each once. @throws IhasimError `IHASIM_USAGE` otherwise. */
export function parseDesigns(text: string): string[] {
  const names = splitTopLevel(text).filter((s) => s !== '');
  const known = designNames();
  if (names.length === 0) throw new IhasimError('IHASIM_USAGE', `--designs needs at least one design: ${known.join(', ')}`);
  const seen = new Set<string>();
  for (const n of names) {
    if (!known.includes(n)) throw new IhasimError('IHASIM_USAGE', `--designs: unknown design '${n}'; the designs are ${known.join(', ')}`);
    if (seen.has(n)) throw new IhasimError('IHASIM_USAGE', `--designs names ${n} twice`);
    seen.add(n);
  }
  return names;
}

/** `--knob design.key=value`: a knob of one design only (the value is YAML, as with --set). */
export interface Knob {
  design: string;
  key: string;
  value: unknown;
}

export function parseKnob(text: string, designs: readonly string[]): Knob {
  const eq = text.indexOf('=');
  const dot = text.indexOf('.');
  const design = dot > 0 && dot < eq ? text.slice(0, dot) : '';
  if (eq <= 0 || !designs.includes(design)) {
    throw new IhasimError('IHASIM_USAGE', `--knob '${text}': write --knob DESIGN.key=value with DESIGN one of --designs (${designs.join(', ')}), e.g. --knob instanceha.forceDown=false`);
  }
  const key = text.slice(dot + 1, eq);
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(key)) throw new IhasimError('IHASIM_USAGE', `--knob '${text}': \`${key}\` is not a key of the recovery block`);
  try {
    return { design, key, value: parseYaml(text.slice(eq + 1)) ?? null };
  } catch (err) {
    throw new IhasimError('IHASIM_USAGE', `--knob '${text}': the value is not YAML (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
  }
}

/** The scenario's `recovery:` block as written, after the `--set`s. */
async function writtenRecovery(file: string, set: readonly string[]): Promise<Record<string, unknown>> {
  const data = parseYaml(await readFile(file, 'utf8')) as Record<string, unknown>;
  applySetOverrides(data, set.map(parseSetOverride));
  const r = data.recovery;
  return r !== null && typeof r === 'object' && !Array.isArray(r) ? (r as Record<string, unknown>) : {};
}

/**
 * The recovery block of each design: the scenario's own block for the design it names (its knobs were chosen
 * for it); for the others `{policy: X}` plus the scenario's keys that design also has, so every design meets
 * the same cloud. Then the design's `--knob`s. The file was loaded (and validated) before: it reads.
 */
export async function designPoints(file: string, set: readonly string[], designs: readonly string[], knobs: readonly Knob[]): Promise<DesignPoint[]> {
  const own = await writtenRecovery(file, set);
  const ownPolicy = (own.policy as string | undefined) ?? 'instanceha';
  return designs.map((design) => {
    const accepted = recoveryKeysOf(design);
    const recovery: Record<string, unknown> = { policy: design };
    for (const [k, v] of Object.entries(own)) if (k !== 'policy' && (ownPolicy === design || accepted.has(k))) recovery[k] = v;
    for (const k of knobs) if (k.design === design) recovery[k.key] = k.value;
    return { design, recovery };
  });
}

/** The plan point of a design: one varied key, `recovery`, whose value is the block as a YAML flow map. */
export function planPointOf(d: DesignPoint, index: number): PlanPoint {
  return { index, values: { recovery: stringify(d.recovery, { collectionStyle: 'flow', lineWidth: 0 }).trim() } };
}
