/**
 * What `ihasim check --jobs N` builds on, checked on the installed fast-check: the schedule fast-check draws for
 * run i depends only on (seed, i), so worker threads can run draws made by `fc.sample`, and a failure at run k
 * replays and shrinks from `--path k` exactly as the one-thread search shrank it (harness/check/draws.ts).
 * No simulation runs here: the properties only look at the draws.
 */
import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../harness/scenario/index.js';
import { DrawStream, drawArbitraries, type Draw } from '../../../harness/check/draws.js';
import type { ScenarioSpec } from '../../../sim/scenario-spec.js';

const file = join(import.meta.dirname, '../../../scenarios/check-6-computes.yaml');

/** The draws `fc.check` hands the property in runs 0..runs-1, as the search's property receives them. */
async function drawsOfCheck(spec: ScenarioSpec, seed: number, runs: number): Promise<Draw[]> {
  const seen: Draw[] = [];
  const property = fc.asyncProperty(...drawArbitraries(spec.check), async (schedule, simSeed) => void seen.push([schedule, simSeed]));
  const details = await fc.check(property, { seed, numRuns: runs });
  expect(details.failed).toBe(false);
  return seen;
}

describe('fast-check draws run i from (seed, i) alone', () => {
  // 300 runs cross the bias steps of runIdToFrequency (runs 9 and 99); 2,100 cross DrawStream's chunks.
  for (const seed of [1, 5, 42]) {
    it(`seed ${seed}: fc.sample of the same arbitraries gives fc.check's 300 draws in order, and from any path offset`, async () => {
      const spec = await loadScenario(file);
      const seen = await drawsOfCheck(spec, seed, 300);
      const arb = fc.tuple(...drawArbitraries(spec.check));
      expect(fc.sample(arb, { seed, numRuns: 300 })).toEqual(seen);
      expect(fc.sample(arb, { seed, path: '150', numRuns: 100 })).toEqual(seen.slice(150, 250));
    });
  }

  it('DrawStream gives the draws of fc.check for adjacent slices, a jump back, and far offsets', async () => {
    const spec = await loadScenario(file);
    const seen = await drawsOfCheck(spec, 7, 2_100);
    const stream = new DrawStream(spec.check, 7);
    const slices: Draw[] = [];
    for (let from = 0; from < 2_100; from += 13) slices.push(...stream.take(from, Math.min(2_100, from + 13)));
    expect(slices).toEqual(seen);
    expect(stream.take(5, 9)).toEqual(seen.slice(5, 9));
    expect(new DrawStream(spec.check, 7).take(2_050, 2_100)).toEqual(seen.slice(2_050));
  });

  it('--max-faults is part of the draw: DrawStream with it matches fc.check with it', async () => {
    const spec = await loadScenario(file);
    const seen: Draw[] = [];
    await fc.check(fc.asyncProperty(...drawArbitraries(spec.check, 2), async (s, n) => void seen.push([s, n])), { seed: 3, numRuns: 120 });
    expect(new DrawStream(spec.check, 3, 2).take(0, 120)).toEqual(seen);
    expect(seen.every(([s]) => s.length <= 2)).toBe(true);
  });
});

describe('a failure at run k replays from path k', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: fc.check with { path: String(k), numRuns: 1 } finds the same counterexample, path and shrink count as the whole search`, async () => {
      const spec = await loadScenario(file);
      // Fails on schedules of 3 or more faults: common enough to fail early, shrinkable in several steps.
      const property = fc.asyncProperty(...drawArbitraries(spec.check), async (schedule, _simSeed) => {
        if (schedule.length >= 3) throw new Error('three faults');
      });
      const whole = await fc.check(property, { seed, numRuns: 1_000 });
      expect(whole.failed).toBe(true);
      const k = Number(whole.counterexamplePath!.split(':')[0]);
      expect(new DrawStream(spec.check, seed).take(k, k + 1)[0]![0].length).toBeGreaterThanOrEqual(3);
      const replay = await fc.check(property, { seed, path: String(k), numRuns: 1 });
      expect(replay.counterexamplePath).toBe(whole.counterexamplePath);
      expect(replay.counterexample).toEqual(whole.counterexample);
      expect(replay.numShrinks).toBe(whole.numShrinks);
      expect(whole.numShrinks).toBeGreaterThan(0);
    });
  }
});
