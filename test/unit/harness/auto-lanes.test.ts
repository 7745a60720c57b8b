/**
 * `--jobs` not given: a multi-seed run starts on the main thread alone and adds worker threads only once the rest
 * of the run looks long enough to repay them (harness/run/ordered-pool.ts). The decision changes speed only: a run
 * whose workers join mid-way folds the same digests, in the same order, as one thread. No verdict depends on the
 * machine's speed: the decision is forced, and only results are compared.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../../harness/scenario/index.js';
import { runOrdered, workersPayNow, type LaneProgress } from '../../../harness/run/ordered-pool.js';
import { runSeedReport } from '../../../harness/run/run-scenario.js';
import { digestOf, type SeedDigest } from '../../../harness/run/seed-digest.js';
import { specOnTheWire } from '../../../harness/run/spec-transfer.js';
import { ensureBuilt } from '../../support/built-cli.js';

const rack = parseScenario(readFileSync(join(import.meta.dirname, '../../../scenarios/rack-power-loss.yaml'), 'utf8'));

beforeAll(() => ensureBuilt()); // the worker threads load the compiled seed worker

async function digests(total: number, opts: { jobs: number; autoLanes?: boolean; workersPay?: (l: LaneProgress) => boolean }): Promise<{ digests: SeedDigest[]; asked: LaneProgress[] }> {
  const out: SeedDigest[] = [];
  const asked: LaneProgress[] = [];
  const scenario = specOnTheWire(rack);
  const first = 1;
  await runOrdered<SeedDigest>({
    total, ...opts,
    workersPay: opts.workersPay && ((l) => (asked.push(l), opts.workersPay!(l))),
    slice: (from, to) => ({ kind: 'run', scenario, first, from, to, defects: [], jsonl: false }),
    inThread: (from, to) => Array.from({ length: to - from }, (_, k) => digestOf(runSeedReport(rack, { seed: first + from + k, trace: false }))),
    onResults: (ds, from) => {
      expect(from).toBe(out.length); // strictly in unit order
      out.push(...ds);
    },
  });
  return { digests: out, asked };
}

describe('auto lanes: workers join only when the run is long enough', () => {
  it('is asked only after the first look, and wants several seconds of work left at the latest rate', () => {
    expect(workersPayNow({ elapsedMs: 999, remaining: 1_000_000, recentMsPerUnit: 10 })).toBe(false);
    expect(workersPayNow({ elapsedMs: 1000, remaining: 5000, recentMsPerUnit: 1 })).toBe(true);
    expect(workersPayNow({ elapsedMs: 1000, remaining: 4999, recentMsPerUnit: 1 })).toBe(false);
    expect(workersPayNow({ elapsedMs: 60_000, remaining: 0, recentMsPerUnit: 1 })).toBe(false);
  });

  it('workers that join mid-run fold the same digests, in order, as one thread', async () => {
    const one = await digests(48, { jobs: 1 });
    const joined = await digests(48, { jobs: 2, autoLanes: true, workersPay: () => true });
    expect(JSON.stringify(joined.digests)).toBe(JSON.stringify(one.digests));
    expect(joined.asked).toHaveLength(1); // asked until it says yes, then never again
    expect(joined.asked[0]!.remaining).toBeLessThan(48);
  });

  it('a run whose workers never pay stays on the main thread and gives the same digests', async () => {
    const one = await digests(30, { jobs: 1 });
    const alone = await digests(30, { jobs: 2, autoLanes: true, workersPay: () => false });
    expect(JSON.stringify(alone.digests)).toBe(JSON.stringify(one.digests));
    expect(alone.asked.length).toBeGreaterThan(1); // after every main-lane slice
    expect(alone.asked.map((l) => l.remaining)).toEqual([...alone.asked.map((l) => l.remaining)].sort((a, b) => b - a));
  });
});
