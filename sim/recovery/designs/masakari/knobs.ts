import { IhasimError } from '../../../../harness/errors.js';
import { tryParseDuration } from '../../../../harness/scenario/duration.js';

/** Bounds of a duration knob, in ms (checked by the design's `validate`: a schema cannot bound a duration's value). */
export interface KnobBounds {
  min: number;
  max: number;
}

/** A duration as a scenario writes it: `1h`, `5m`, `30s`, `500ms`. */
export function formatKnobDuration(ms: number): string {
  for (const [unit, per] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= per && ms % per === 0) return `${ms / per}${unit}`;
  }
  return ms === 0 ? '0s' : `${ms}ms`;
}
const fmt = formatKnobDuration;

/** A duration knob of the `recovery:` block, in the scenario schema's shape (`#/$defs/duration`). */
export function durationKnob(upstream: string, dflt: string, bounds: KnobBounds): Record<string, unknown> {
  return {
    $ref: '#/$defs/duration',
    default: dflt,
    description: `${upstream}. Default ${dflt}; from ${fmt(bounds.min)} to ${fmt(bounds.max)} (checked once resolved).`,
  };
}

export function integerKnob(upstream: string, dflt: number, min: number, max: number): Record<string, unknown> {
  return { type: 'integer', minimum: min, maximum: max, default: dflt, description: `${upstream}. Default ${dflt}.` };
}

/** A duration the schema already let through, in ms. */
export function parseKnobDuration(value: unknown): number {
  const r = tryParseDuration(value);
  if (!r.ok) throw new IhasimError('IHASIM_SCENARIO_SCHEMA', `recovery: ${r.problem}`);
  return r.ms;
}
