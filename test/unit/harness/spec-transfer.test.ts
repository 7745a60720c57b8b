/**
 * A worker keeps one copy of each scenario it is sent, so what the simulator computes once per scenario (keyed
 * by the spec object) is computed once per worker, not once per slice; and the copy keeps the sender's
 * identity, so its reports carry the same scenario hash.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../harness/scenario/index.js';
import { specFromTheWire, specOnTheWire } from '../../../harness/run/spec-transfer.js';
import { scenarioHash } from '../../../harness/version.js';

const file = join(import.meta.dirname, '../../../scenarios/rack-power-loss.yaml');
const load = () => parseScenario(readFileSync(file, 'utf8'), file);

describe('scenarios sent to worker threads', () => {
  it('gives one spec object one token, and another spec another', () => {
    const a = load();
    expect(specOnTheWire(a).token).toBe(specOnTheWire(a).token);
    expect(specOnTheWire(load()).token).not.toBe(specOnTheWire(a).token);
  });

  it('resolves every slice of one scenario to the first copy received, with the sender\'s hash', () => {
    const spec = load();
    const first = specFromTheWire(structuredClone(specOnTheWire(spec)));
    const second = specFromTheWire(structuredClone(specOnTheWire(spec)));
    expect(second).toBe(first);
    expect(first).not.toBe(spec);
    expect(scenarioHash(first)).toBe(scenarioHash(spec));
  });
});
