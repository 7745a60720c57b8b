import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../../harness/scenario/index.js';
import { runScenario } from '../../../../harness/run/run-scenario.js';
import { historyToJsonl } from '../../../../harness/history/jsonl.js';

const scenarios = join(import.meta.dirname, '../../../../scenarios');

describe('the simulator\'s history', () => {
  it('is the same bytes for the same seed, and recording it changes neither the trace nor the report', async () => {
    const spec = await loadScenario(join(scenarios, 'rack-power-loss.yaml'));
    const a = runScenario(spec, { seed: 3, history: true });
    const b = runScenario(spec, { seed: 3, history: true });
    const plain = runScenario(spec, { seed: 3 });
    expect(historyToJsonl(a.history.recorded!)).toBe(historyToJsonl(b.history.recorded!));
    expect(a.world.trace.toJsonl()).toBe(plain.world.trace.toJsonl());
    expect(a.report).toEqual(plain.report);
  });

  it('begins with its header and ends with its end line, in time order, each naming its source', async () => {
    const spec = await loadScenario(join(scenarios, 'rack-power-loss.yaml'));
    const obs = runScenario(spec, { seed: 3, history: true }).history.recorded!;
    expect(obs[0]!.kind).toBe('header');
    expect(obs.at(-1)!.kind).toBe('end');
    for (let i = 1; i < obs.length; i++) expect(obs[i]!.t).toBeGreaterThanOrEqual(obs[i - 1]!.t);
    const kinds = new Set(obs.map((o) => o.kind));
    for (const k of ['fault', 'domain', 'power', 'serving', 'evacuation', 'claim', 'outcome', 'nova-server', 'nova-service']) expect(kinds, k).toContain(k);
  });
});
