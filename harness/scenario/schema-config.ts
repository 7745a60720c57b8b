import { DEFAULT_CONFIG } from '../../sim/config.js';
import { NOVA_RELEASES } from '../../sim/nova/release.js';
import type { Dist } from '../../sim/kernel/dist-types.js';
import { configDoc } from './config-docs.js';
import { formatDuration } from './duration.js';
import { EXPECTED_KEYWORD, object, ref, type JsonSchema } from './schema-helpers.js';

/** String-valued config keys and their allowed values, by YAML path. */
const CONFIG_ENUMS: Readonly<Record<string, readonly string[]>> = {
  'nova.release': NOVA_RELEASES,
  'pacemaker.fenceAction': ['reboot', 'off'],
  'fencing.computeAgent': ['current', 'legacy-4.4'],
  'fencing.secondLevel': ['none', 'pdu'],
  'unfence.order': ['after-start', 'before-start'],
};

/** The YAML key of a TS config key: `reportIntervalMs` is `reportInterval`. */
export function yamlKey(tsKey: string): string {
  return tsKey.endsWith('Ms') ? tsKey.slice(0, -2) : tsKey;
}

/** True when a config value is a `Dist` (it has a `kind`). */
export function isDist(value: unknown): value is Dist {
  return typeof value === 'object' && value !== null && 'kind' in value;
}

/** A `Dist` written the way a scenario writes it (durations as strings), for defaults and docs. */
export function distToYaml(d: Dist): unknown {
  const f = formatDuration;
  switch (d.kind) {
    case 'const': return f(d.value);
    case 'uniform': return { uniform: [f(d.min), f(d.max)] };
    case 'normal': return { normal: { mean: f(d.mean), sd: f(d.sd) } };
    case 'lognormal': return { lognormal: { median: f(d.median), p99: f(d.p99) } };
    case 'exponential': return { exponential: { mean: f(d.mean) } };
    case 'choice': return { choice: d.values.map(f) };
  }
}

/** The schema of one config leaf, from its TS key and default value. */
function leafSchema(path: string, tsKey: string, value: unknown): JsonSchema {
  const description = configDoc(path);
  if (isDist(value)) return ref('dist', description, distToYaml(value));
  if (typeof value === 'number' && tsKey.endsWith('Ms')) return ref('duration', description, formatDuration(value));
  if (typeof value === 'boolean') return { type: 'boolean', description, default: value };
  if (typeof value === 'string') {
    const allowed = CONFIG_ENUMS[path] ?? [value];
    // YAML reads an unquoted `2024.1` as a number: accept those names written as numbers too (config-merge.ts
    // turns them back into text).
    const numeric = allowed.filter((a) => /^\d+(\.\d+)?$/.test(a)).map(Number);
    if (numeric.length > 0) return { type: ['string', 'number'], enum: [...allowed, ...numeric], description, default: value };
    return { type: 'string', enum: [...allowed], description, default: value };
  }
  if (Number.isInteger(value) && !tsKey.endsWith('Ratio')) return { type: 'integer', minimum: 1, description, default: value };
  return { type: 'number', exclusiveMinimum: 0, description, default: value, [EXPECTED_KEYWORD]: 'a number > 0' };
}

/** The schema of a config section (recursively), mirroring the shape of its default. */
function sectionSchema(path: string, section: object): JsonSchema {
  const props: Record<string, JsonSchema> = {};
  for (const [tsKey, value] of Object.entries(section)) {
    const key = yamlKey(tsKey);
    const sub = path === '' ? key : `${path}.${key}`;
    const plain = typeof value === 'object' && value !== null && !isDist(value);
    props[key] = plain ? sectionSchema(sub, value as object) : leafSchema(sub, tsKey, value);
  }
  const description = path === '' ? 'Overrides of the model defaults; every key is optional.' : configDoc(path);
  return object(description, props, { default: {} });
}

/** The schema of the `config` block, generated from `DEFAULT_CONFIG` so the two cannot drift. */
export function configSchema(): JsonSchema {
  return sectionSchema('', DEFAULT_CONFIG);
}
