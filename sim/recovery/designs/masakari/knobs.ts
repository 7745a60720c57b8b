import { IhasimError } from '../../../../harness/errors.js';
import { tryParseDuration } from '../../../../harness/scenario/duration.js';

/** Bounds of a duration knob, in ms (checked by the design's `validate`: a schema cannot bound a duration's value). */
export interface KnobBounds {
  min: number;
  max: number;
}

const fmt = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

/** A duration knob of the `recovery:` block, in the scenario schema's shape (`#/$defs/duration`). */
export function durationKnob(upstream: string, dflt: string, bounds: KnobBounds): Record<string, unknown> {
  return {
    $ref: '#/$defs/duration',
    default: dflt,
    description: `${upstream}. Default ${dflt}; from ${fmt(bounds.min)} to ${fmt(bounds.max)}.`,
    'x-minimum-ms': bounds.min,
    'x-maximum-ms': bounds.max,
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
