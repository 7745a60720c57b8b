import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario } from '../../harness/scenario/index.js';
import { runScenario } from '../../harness/run/run-scenario.js';
import type { ScenarioSpec } from '../../sim/scenario-spec.js';

const base = readFileSync(join(import.meta.dirname, '../fixtures/faults-base.yaml'), 'utf8');

/** The base fixture with its `faults:` (and optionally `recovery:`/`expect:` lines) replaced. */
export function scenario(faults: string[], overrides: { recovery?: string; expect?: string[] } = {}): ScenarioSpec {
  let text = base.replace(/faults:\n(  - .*\n)+/, `faults:\n${faults.map((f) => `  - ${f}\n`).join('')}`);
  if (overrides.recovery) text = text.replace(/^recovery: .*$/m, `recovery: ${overrides.recovery}`);
  if (overrides.expect) text = text.replace(/expect:\n(  .*\n)+/, `expect:\n${overrides.expect.map((l) => `  ${l}\n`).join('')}`);
  return parseScenario(text, 'faults-base.yaml');
}

export function run(spec: ScenarioSpec) {
  return runScenario(spec);
}

/** Trace records of one type. */
export function events(world: ReturnType<typeof runScenario>['world'], type: string) {
  return world.trace.records.filter((r) => r.type === type);
}
