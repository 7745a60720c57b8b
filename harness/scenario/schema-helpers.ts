import { DURATION_EXPECTED, DURATION_PATTERN } from './duration.js';

/** A JSON Schema object as built here (draft 2020-12). */
export type JsonSchema = { [key: string]: unknown };

/**
 * Annotation keyword read by the error translator: what a value at this place looks like, in words. Editors
 * ignore it; ajv is told it is an annotation.
 */
export const EXPECTED_KEYWORD = 'x-expected';

/** Reference to a definition of the scenario schema, with its own description and optional default. */
export function ref(def: string, description: string, dflt?: unknown): JsonSchema {
  return withDefault({ $ref: `#/$defs/${def}`, description }, dflt);
}

/** Adds `default` when one is given. */
export function withDefault(schema: JsonSchema, dflt: unknown): JsonSchema {
  return dflt === undefined ? schema : { ...schema, default: dflt };
}

/** A map with a closed set of keys. */
export function object(description: string, properties: Record<string, JsonSchema>, extra: JsonSchema = {}): JsonSchema {
  return { type: 'object', description, properties, additionalProperties: false, ...extra };
}

/** A string property. */
export function text(description: string, dflt?: unknown, extra: JsonSchema = {}): JsonSchema {
  return withDefault({ type: 'string', description, ...extra }, dflt);
}

/** An integer property with a lower bound. */
export function integer(description: string, minimum: number, dflt?: unknown): JsonSchema {
  return withDefault({ type: 'integer', minimum, description }, dflt);
}

/** A list of strings. */
export function stringList(description: string, dflt: unknown = []): JsonSchema {
  return { type: 'array', items: { type: 'string' }, description, default: dflt };
}

/** Duration, the one schema of a length of time. */
const DURATION: JsonSchema = {
  description: 'A duration: `500ms`, `20s`, `5m`, `1h`, `1h30m`, `1.5s`, or an integer of milliseconds.',
  [EXPECTED_KEYWORD]: DURATION_EXPECTED,
  type: ['string', 'integer'],
  pattern: DURATION_PATTERN,
  minimum: 0,
};

const durationPair = (a: string, b: string, description: string): JsonSchema =>
  object(description, { [a]: ref('duration', a), [b]: ref('duration', b) }, { required: [a, b] });

/** Distribution of durations: a constant, or exactly one of the named forms. */
const DIST: JsonSchema = {
  description:
    'A duration, or a distribution of durations: `{uniform: [a, b]}`, `{normal: {mean, sd}}`, ' +
    '`{lognormal: {median, p99}}`, `{exponential: {mean}}`, `{choice: [a, b, …]}`.',
  [EXPECTED_KEYWORD]:
    'a duration like `20s` or a distribution: `{uniform: [a, b]}`, `{normal: {mean, sd}}`, ' +
    '`{lognormal: {median, p99}}`, `{exponential: {mean}}` or `{choice: [a, b]}`',
  type: ['string', 'integer', 'object'],
  pattern: DURATION_PATTERN,
  minimum: 0,
  properties: {
    uniform: {
      type: 'array', items: { $ref: '#/$defs/duration' }, minItems: 2, maxItems: 2,
      description: 'Uniform between two durations `[a, b]`, a ≤ b.',
      [EXPECTED_KEYWORD]: 'a list of two durations `[a, b]`',
    },
    normal: durationPair('mean', 'sd', 'Normal with a mean and standard deviation.'),
    lognormal: durationPair('median', 'p99', 'Log-normal given by its median and 99th percentile (p99 ≥ median).'),
    exponential: object('Exponential with a mean.', { mean: ref('duration', 'mean') }, { required: ['mean'] }),
    choice: {
      type: 'array', items: { $ref: '#/$defs/duration' }, minItems: 1,
      description: 'One of the listed durations, each equally likely.',
      [EXPECTED_KEYWORD]: 'a non-empty list of durations',
    },
  },
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 1,
};

const NAME_PATTERN = '^[A-Za-z0-9._{},-]+$';

/** Definitions shared by the scenario schema (`$defs`). */
export const SHARED_DEFS: Record<string, JsonSchema> = {
  duration: DURATION,
  dist: DIST,
  name: {
    type: 'string',
    pattern: NAME_PATTERN,
    description: 'A name of letters, digits, `.`, `_` and `-`, with optional brace ranges: `compute-{01..16}`, `{a,b}`.',
    [EXPECTED_KEYWORD]: 'a name of letters, digits, `.`, `_`, `-` (with optional brace ranges like `compute-{01..16}`)',
  },
  stringMap: {
    type: 'object',
    additionalProperties: { type: ['string', 'number', 'boolean'], [EXPECTED_KEYWORD]: 'a string, number or boolean' },
    description: 'A map of strings (numbers and booleans are turned into strings, as Nova stores them).',
  },
};
