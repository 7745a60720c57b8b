import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../support/cli-in-process.js';
import { isIhasimError } from '../../../harness/errors.js';
import { runScenario } from '../../../harness/run/run-scenario.js';
import { runSeeds } from '../../../harness/run/run-seeds.js';
import { loadScenario, parseScenario } from '../../../harness/scenario/index.js';

const scenario = join(import.meta.dirname, '../../../scenarios/host-hang-fenced.yaml');


describe('seeds are 0..4294967295', () => {
  it('--seeds 0 is refused (exit 3), not a report of nothing', async () => {
    const r = await cli(['run', scenario, '--seeds', '0']);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/--seeds takes a count of seeds 1\.\.10000000, found '0'/);
    expect(r.out).toBe('');
  });

  it('an absurd --seeds count is refused naming the limit', async () => {
    const r = await cli(['run', scenario, '--seeds', '10000001']);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/1\.\.10000000/);
  });

  it.each(['4294967296', '4294967297', '9007199254740993', '-1'])('--seed %s is refused naming the range', async (seed) => {
    const r = await cli(['run', scenario, '--seed', seed]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/0\.\.4294967295/);
  });

  it('--seed S --seeds N is refused when S+N-1 passes the last seed; the last seed itself runs', async () => {
    const over = await cli(['run', scenario, '--seed', '4294967290', '--seeds', '7']);
    expect(over.code).toBe(3);
    expect(over.err).toMatch(/--seeds 7 from seed 4294967290 would run seeds past 4294967295/);
    const edge = await cli(['run', scenario, '--seed', '4294967290', '--seeds', '6', '--json']);
    expect(edge.code).toBe(0);
    expect(JSON.parse(edge.out).seeds).toEqual({ first: 4294967290, last: 4294967295, count: 6 });
  });

  it('check --seed takes the same range', async () => {
    const r = await cli(['check', join(import.meta.dirname, '../../../scenarios/check-6-computes.yaml'), '--seed', '4294967296']);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/--seed takes a seed 0\.\.4294967295/);
  });

  it("the scenario's seed: key takes the same range", () => {
    const text = (seed: string): string => `ihasim: 1\nname: s\nduration: 10m\nseed: ${seed}\n`;
    expect(parseScenario(text('4294967295'), 's.yaml').seed).toBe(4294967295);
    let err: unknown;
    try {
      parseScenario(text('4294967297'), 's.yaml');
    } catch (e) {
      err = e;
    }
    expect(isIhasimError(err) && err.exitCode).toBe(3);
    expect(isIhasimError(err) && err.details.map((d) => `${d.path} ${d.expected}`)).toEqual(['seed a number ≤ 4294967295']);
  });

  it('the library refuses a seed range it cannot run', async () => {
    const spec = await loadScenario(scenario);
    expect(() => runSeeds(spec, 0)).toThrow(/seed count must be 1\.\./);
    expect(() => runSeeds(spec, 2, { seed: 4294967295 })).toThrow(/outside 0\.\.4294967295/);
  });

  it('no two accepted seeds give one run: 1, 2^31 and 2^32-1 give three different traces', async () => {
    const spec = await loadScenario(join(import.meta.dirname, '../../../scenarios/rack-power-loss.yaml'));
    const traces = [1, 2 ** 31, 2 ** 32 - 1].map((seed) => runScenario(spec, { seed }).world.trace.toJsonl());
    expect(new Set(traces).size).toBe(3);
  });
});
