import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../support/cli-in-process.js';
import { parseTarget, type Target } from '../../../harness/plan/target.js';
import { bisect, parseSearch } from '../../../harness/plan/search.js';
import { gridPoints, parseVary } from '../../../harness/plan/grid.js';
import { nearestRank, percentileInterval, resampleIndexes } from '../../../harness/plan/bootstrap.js';
import { Rng } from '../../../sim/kernel/rng.js';
import type { SeedRecord } from '../../../harness/plan/seed-record.js';
import { shardRange } from '../../../harness/plan/shard.js';
import { summarisePoint, type PointSummary } from '../../../harness/plan/summary.js';

const scenarios = join(import.meta.dirname, '../../../scenarios');
const FAST = join(scenarios, 'host-power-loss-fast-detection-forcedown.yaml');
const tmp = (): string => mkdtempSync(join(tmpdir(), 'ihasim-plan-'));
const GRID = ['--vary', 'recovery.forceDown=true,false', '--vary', 'config.pacemaker.remoteMonitorInterval=5s,20s'];

describe('ihasim plan: a grid on common seeds', () => {
  it('runs every point on the same seeds, says so, and agrees with run --seeds at each point', async () => {
    const dir = tmp();
    const r = await cli(['plan', FAST, ...GRID, '--seeds', '4', '--json', join(dir, 'p.json'), '--csv', join(dir, 'p.csv')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/common random numbers/);
    const plan = JSON.parse(readFileSync(join(dir, 'p.json'), 'utf8'));
    expect(plan.commonRandomNumbers).toBe(true);
    expect(plan.points.map((p: PointSummary) => p.values)).toEqual([
      { 'recovery.forceDown': 'true', 'config.pacemaker.remoteMonitorInterval': '5s' },
      { 'recovery.forceDown': 'true', 'config.pacemaker.remoteMonitorInterval': '20s' },
      { 'recovery.forceDown': 'false', 'config.pacemaker.remoteMonitorInterval': '5s' },
      { 'recovery.forceDown': 'false', 'config.pacemaker.remoteMonitorInterval': '20s' },
    ]);
    const single = await cli(['run', FAST, '--seeds', '4', '--json', '--set', 'config.pacemaker.remoteMonitorInterval=20s']);
    const recovery = JSON.parse(single.out).metrics.recovery;
    const point = plan.points[1];
    expect([point.downtimeMs.p50.value, point.downtimeMs.p99.value, point.downtimeMs.mean.value]).toEqual([recovery.p50Ms, recovery.p99Ms, recovery.meanMs]);
    expect(point.downtimeMs.p50.ci95[0]).toBeLessThanOrEqual(point.downtimeMs.p50.ci95[1]);
    const csv = readFileSync(join(dir, 'p.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(5);
    expect(csv[0]).toMatch(/^point,recovery\.forceDown,config\.pacemaker\.remoteMonitorInterval,runs,/);
  });

  it('is deterministic, and shards 1/3, 2/3, 3/3 merged give the unsharded JSON byte for byte', async () => {
    const dir = tmp();
    const whole = join(dir, 'whole.json');
    expect((await cli(['plan', FAST, ...GRID, '--seeds', '5', '--quiet', '--json', whole])).code).toBe(0);
    const parts = [1, 2, 3].map((i) => join(dir, `part-${i}.json`));
    for (const [i, part] of parts.entries()) {
      const r = await cli(['plan', FAST, ...GRID, '--seeds', '5', '--shard', `${i + 1}/3`, '--out', part]);
      expect(r.code).toBe(0);
    }
    const merged = join(dir, 'merged.json');
    expect((await cli(['merge', ...[...parts].reverse(), '--quiet', '--json', merged])).code).toBe(0);
    expect(readFileSync(merged)).toEqual(readFileSync(whole));
    const missing = await cli(['merge', parts[0]!, parts[2]!, '--quiet']);
    expect(missing.code).toBe(3);
    expect(missing.err).toMatch(/missing shard\(s\) 2\/3/);
  });

  it('bad input is exit 3 naming the point or the flag', async () => {
    const bad = await cli(['plan', FAST, '--vary', 'recovery.forceDown=true,maybe', '--seeds', '2']);
    expect(bad.code).toBe(3);
    expect(bad.err).toMatch(/point 2 \(recovery\.forceDown=maybe\)/);
    expect((await cli(['plan', FAST, '--vary', 'recovery.forceDown', '--seeds', '2'])).code).toBe(3);
    expect((await cli(['plan', FAST, '--vary', 'recovery.forceDown=', '--seeds', '2'])).code).toBe(3);
    expect((await cli(['plan', FAST, '--vary', 'recovery.forceDown=true', '--seeds', '0'])).code).toBe(3);
    expect((await cli(['plan', FAST, '--vary', 'recovery.forceDown=true'])).code).toBe(3);
    const unknown = await cli(['plan', FAST, '--vary', 'recovery.forceDwn=true', '--seeds', '1']);
    expect(unknown.err).toMatch(/did you mean `forceDown`/);
  });
});

describe('plan building blocks', () => {
  it('the grid is cartesian, first --vary slowest; values split on top-level commas', () => {
    expect(gridPoints([parseVary('a=1,2'), parseVary('b=[x, y],z')]).map((p) => p.values)).toEqual([
      { a: '1', b: '[x, y]' }, { a: '1', b: 'z' }, { a: '2', b: '[x, y]' }, { a: '2', b: 'z' },
    ]);
  });

  it('shards split the units contiguously and cover them all', () => {
    const ranges = [1, 2, 3].map((index) => shardRange({ index, count: 3 }, 20));
    expect(ranges).toEqual([{ from: 0, to: 6 }, { from: 6, to: 13 }, { from: 13, to: 20 }]);
  });

  it('bootstrap resamples are seeded and repeatable; intervals drop undefined resamples', () => {
    expect(resampleIndexes(10, 7, 5)).toEqual(resampleIndexes(10, 7, 5));
    expect(resampleIndexes(10, 7, 5)).not.toEqual(resampleIndexes(10, 8, 5));
    expect(percentileInterval([null, null, null, 1])).toBeNull();
    expect(percentileInterval(Array.from({ length: 1000 }, (_, i) => i))).toEqual([24, 974]);
  });

  it('targets parse metric, comparison and threshold', () => {
    expect(parseTarget('p99 <= 10m')).toMatchObject({ metric: 'p99', comparison: '<=', threshold: 600_000, withinMs: null });
    expect(parseTarget('recovered-fraction(10m) >= 99%')).toMatchObject({ metric: 'recovered-fraction', withinMs: 600_000, threshold: 0.99 });
    for (const bad of ['p98 <= 1m', 'p99 =< 1m', 'p99 <= soon', 'recovered-fraction >= 2']) expect(() => parseTarget(bad), bad).toThrow(/--target/);
  });

  it('search candidates: integers step 1, durations with --step, a template', () => {
    expect(parseSearch('k=1..4', undefined, undefined).candidates).toEqual(['1', '2', '3', '4']);
    expect(parseSearch('k=5s..20s', '5s', undefined).candidates).toEqual(['5s', '10s', '15s', '20s']);
    expect(parseSearch('k=1..3', undefined, 'spare-{1..%v}').candidates).toEqual(['spare-{1..1}', 'spare-{1..2}', 'spare-{1..3}']);
    expect(() => parseSearch('k=5s..20s', undefined, undefined)).toThrow(/--step/);
  });
});

describe('bootstrap intervals', () => {
  it('are those of pooling and sorting each resample (ties, empty runs and runs drawn many times included)', () => {
    const rng = new Rng(7);
    const phases = { detectMs: 0, fenceMs: 0, markDownMs: 0, evacuateMs: 0, bootMs: 0 };
    const records: SeedRecord[] = Array.from({ length: 40 }, (_, seed) => ({
      point: 0, seed, exitCode: 0, downtimesMs: Array.from({ length: rng.int(0, 30) }, () => rng.int(1, 400) * 1000), backMs: [],
      optedInAffected: 0, notRecovered: {}, violations: [], phaseSums: phases, phaseCounts: phases,
      hostsLeftDisabled: 0, operatorActions: 0, novaApiCalls: 0,
    }));
    const resamples = resampleIndexes(records.length, 3, 200);
    const pooled = resamples.map((idx) => Float64Array.from([...idx].flatMap((i) => records[i]!.downtimesMs)).sort());
    const naive = (stat: (sorted: Float64Array) => number | null) => percentileInterval(pooled.map(stat));
    const got = summarisePoint(0, {}, records, resamples, null).downtimeMs;
    expect(got.p50.ci95).toEqual(naive((s) => nearestRank(s, 50)));
    expect(got.p95.ci95).toEqual(naive((s) => nearestRank(s, 95)));
    expect(got.p99.ci95).toEqual(naive((s) => nearestRank(s, 99)));
    expect(got.max.ci95).toEqual(naive((s) => (s.length ? s[s.length - 1]! : null)));
    expect(got.mean.ci95).toEqual(naive((s) => (s.length ? Math.round(s.reduce((a, b) => a + b, 0) / s.length) : null)));
  });
});

describe('bisection', () => {
  const target: Target = parseTarget('p99 <= 10m');
  const point = (p99: number): PointSummary => ({ downtimeMs: { p99: { value: p99, ci95: null } } } as unknown as PointSummary);
  const space = parseSearch('spares=0..16', undefined, undefined);

  it('finds the smallest value meeting a monotone target, evaluating the bounds first, in few steps', async () => {
    const seen: number[] = [];
    const r = await bisect(space, target, false, async (i) => (seen.push(i), point(i >= 5 ? 300_000 : 900_000)));
    expect(r).toMatchObject({ verdict: 'found', answer: '5' });
    expect(seen.slice(0, 2)).toEqual([0, 16]);
    expect(seen.length).toBeLessThanOrEqual(2 + Math.ceil(Math.log2(17)));
  });

  it('with maximize, the largest value meeting it', async () => {
    const r = await bisect(space, target, true, async (i) => point(i <= 11 ? 300_000 : 900_000));
    expect(r).toMatchObject({ verdict: 'found', answer: '11' });
  });

  it('says when no value meets it, and when the bounds contradict monotonicity', async () => {
    expect(await bisect(space, target, false, async () => point(900_000))).toMatchObject({ verdict: 'none-meets', answer: null });
    const r = await bisect(space, target, false, async (i) => point(i === 0 ? 300_000 : 900_000));
    expect(r).toMatchObject({ verdict: 'non-monotone', answer: null });
    expect(r!.message).toMatch(/contradicts monotonicity/);
  });
});
