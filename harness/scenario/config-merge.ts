import { DEFAULT_CONFIG, type SimConfig } from '../../sim/config.js';
import { readDist, readDuration } from './distribution.js';
import type { Issues } from './issues.js';
import type { RawDist, RawDuration } from './raw-types.js';
import { isDist, yamlKey } from './schema-config.js';
import type { KeyPath } from './yaml-source.js';

type Section = { [key: string]: unknown };

/** One config leaf as written, converted by the kind of its default. */
function leaf(tsKey: string, dflt: unknown, raw: unknown, path: KeyPath, issues: Issues): unknown {
  if (isDist(dflt)) return readDist(raw as RawDist, path, issues);
  if (typeof dflt === 'number' && tsKey.endsWith('Ms')) return readDuration(raw as RawDuration, path, issues);
  // A name YAML read as a number (`release: 2024.1`); the schema allowed only the listed names.
  if (typeof dflt === 'string' && typeof raw === 'number') return String(raw);
  return raw;
}

/** Merges one section written in YAML over its default section, recursively. */
function mergeSection(dflt: Section, raw: Section, path: KeyPath, issues: Issues): Section {
  const out: Section = {};
  for (const [tsKey, value] of Object.entries(dflt)) {
    const key = yamlKey(tsKey);
    const given = raw[key];
    const sub = [...path, key];
    if (given === undefined) out[tsKey] = structuredClone(value);
    else if (typeof value === 'object' && value !== null && !isDist(value)) {
      out[tsKey] = mergeSection(value as Section, given as Section, sub, issues);
    } else out[tsKey] = leaf(tsKey, value, given, sub, issues);
  }
  return out;
}

/**
 * Deep-merges the scenario's `config` block over `DEFAULT_CONFIG`: YAML key `foo` sets TS key `fooMs` (a
 * duration or a distribution of durations, converted to ms); absent keys keep their defaults. The schema has
 * already rejected unknown keys and wrong types.
 */
export function mergeConfig(raw: Section, issues: Issues): SimConfig {
  return mergeSection(DEFAULT_CONFIG as unknown as Section, raw, ['config'], issues) as unknown as SimConfig;
}
