import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CONFIG_DOCS } from '../../../../harness/scenario/config-docs.js';
import { buildScenarioSchema } from '../../../../harness/scenario/index.js';
import { formatDuration } from '../../../../harness/scenario/duration.js';
import { distToYaml, isDist, yamlKey } from '../../../../harness/scenario/schema-config.js';
import { DEFAULT_CONFIG } from '../../../../sim/config.js';
import { validatorSource } from '../../../../harness/scenario/validator-source.js';

/** Every leaf of the default config as [yaml path, TS key, value]. */
function leaves(obj: object, prefix = ''): [string, string, unknown][] {
  return Object.entries(obj).flatMap(([k, v]) => {
    const path = prefix + yamlKey(k);
    return typeof v === 'object' && v !== null && !isDist(v) ? leaves(v as object, `${path}.`) : [[path, k, v] as [string, string, unknown]];
  });
}

/** The YAML rendering of a default, as the README shows it. */
function shown(tsKey: string, v: unknown): string {
  if (isDist(v)) return JSON.stringify(distToYaml(v)).replace(/"/g, '').replace(/:/g, ': ').replace(/,/g, ', ');
  return typeof v === 'number' && tsKey.endsWith('Ms') ? formatDuration(v) : String(v);
}

describe('scenario: the published schema and docs', () => {
  test('scenarios/scenario.schema.json is generated from the loader (run vitest -u to refresh it)', async () => {
    const text = `${JSON.stringify(buildScenarioSchema(), null, 2)}\n`;
    await expect(text).toMatchFileSnapshot('../../../../scenarios/scenario.schema.json');
  });

  test('harness/scenario/scenario-validator.generated.ts is the schema compiled ahead of time (run vitest -u to refresh it)', async () => {
    await expect(validatorSource(buildScenarioSchema())).toMatchFileSnapshot('../../../../harness/scenario/scenario-validator.generated.ts');
  });

  test('every key of the schema has a description, and every optional key a default', () => {
    const missing: string[] = [];
    const walk = (s: Record<string, unknown>, path: string) => {
      const props = (s.properties ?? {}) as Record<string, Record<string, unknown>>;
      const required = (s.required ?? []) as string[];
      for (const [k, sub] of Object.entries(props)) {
        if (!sub.description) missing.push(`${path}${k}: description`);
        const inDist = /(uniform|normal|lognormal|exponential|choice)$/.test(k) || path.includes('$defs');
        const optionalNoDefault = ['host', 'az', 'group', 'target', 'network', 'groups', 'duration', 'latency', 'kdumpReboot', 'recoveryBound', 'rack', 'count', 'from', 'rate', 'ipmi', 'provenance'];
        if (!required.includes(k) && sub.default === undefined && !inDist && !optionalNoDefault.includes(k)) missing.push(`${path}${k}: default`);
        walk(sub, `${path}${k}.`);
        if (typeof sub.items === 'object') walk(sub.items as Record<string, unknown>, `${path}${k}[].`);
        if (typeof sub.additionalProperties === 'object') walk(sub.additionalProperties as Record<string, unknown>, `${path}${k}.*.`);
      }
    };
    walk(buildScenarioSchema(), '');
    expect(missing).toEqual([]);
  });

  test('every config key is documented', () => {
    for (const [path] of leaves(DEFAULT_CONFIG)) {
      const wild = path.replace(/^fencing\.[^.]+\./, 'fencing.*.');
      expect(CONFIG_DOCS[path] ?? CONFIG_DOCS[wild], path).toBeTruthy();
    }
  });

  test('scenarios/README.md lists every config key with its default', () => {
    const readme = readFileSync(new URL('../../../../scenarios/README.md', import.meta.url), 'utf8');
    for (const [path, tsKey, value] of leaves(DEFAULT_CONFIG)) {
      expect(readme, path).toContain(`| \`${path}\` | \`${shown(tsKey, value)}\` |`);
    }
  });
});
