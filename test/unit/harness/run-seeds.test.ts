import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../support/cli-in-process.js';
import { recoveryStats } from '../../../harness/run/metrics.js';
import { MAX_LISTED_RUNS, SeedAggregate, WORST_RUNS } from '../../../harness/run/run-seeds.js';
import type { MultiRunReport, RunReport } from '../../../reports/report-types.js';
import { validateReport } from '../../../reports/validate.js';
import { failingRun, passingRun, recoveredInstance } from '../../support/sample-report.js';

const scenario = join(import.meta.dirname, '../../../scenarios/host-power-loss-fast-detection-forcedown.yaml');


describe('run --seeds N: the report does not grow with N', () => {
  it('50 and 500 seeds give reports of the same size, give or take the digits of the counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ihasim-seeds-'));
    const sizes: number[] = [];
    for (const n of [50, 500]) {
      const path = join(dir, `r${n}.json`);
      const r = await cli(['run', scenario, '--seeds', String(n), '--quiet', '--report', path]);
      expect(r.code).toBe(0);
      const report = JSON.parse(readFileSync(path, 'utf8')) as MultiRunReport;
      expect(validateReport(report)).toEqual([]);
      expect(report.seeds).toEqual({ first: 1, last: n, count: n });
      expect(report.worstRuns).toHaveLength(WORST_RUNS);
      sizes.push(statSync(path).size);
    }
    expect(Math.abs(sizes[1]! - sizes[0]!)).toBeLessThan(100);
  });

  it('--runs-jsonl streams every run, one JSON line per seed; the aggregate is exact over them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ihasim-seeds-'));
    const jsonl = join(dir, 'runs.jsonl');
    const r = await cli(['run', scenario, '--seeds', '40', '--seed', '7', '--json', '--runs-jsonl', jsonl]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as MultiRunReport;
    expect(report.runsJsonl).toBe(jsonl);
    const runs = readFileSync(jsonl, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as RunReport);
    expect(runs.map((run) => run.seed)).toEqual(Array.from({ length: 40 }, (_, i) => 7 + i));
    for (const run of runs) expect(validateReport(run)).toEqual([]);
    const downtimes = runs.flatMap((run) => run.instances.filter((o) => o.outcome.startsWith('recovered')).map((o) => o.downtimeMs!));
    expect(report.metrics.recovery).toEqual(recoveryStats(downtimes));
    const longest = [...runs].sort((a, b) => b.metrics.recovery.maxMs! - a.metrics.recovery.maxMs! || a.seed - b.seed).slice(0, WORST_RUNS);
    expect(report.worstRuns.map((w) => w.seed)).toEqual(longest.map((run) => run.seed));
  });

  it('--runs-jsonl without --seeds is a usage error', async () => {
    const r = await cli(['run', scenario, '--runs-jsonl', join(tmpdir(), 'x.jsonl')]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/--runs-jsonl lists the runs of --seeds N/);
  });
});

describe('SeedAggregate', () => {
  it(`lists the first ${MAX_LISTED_RUNS} failed runs in seed order and counts the rest`, () => {
    const aggregate = new SeedAggregate();
    for (let seed = 1; seed <= 150; seed++) aggregate.add(seed % 3 === 0 ? passingRun(seed) : failingRun(seed));
    const report = aggregate.report({ name: 'power-loss', seed: 1, expect: {} } as Parameters<SeedAggregate['report']>[0], 1);
    expect(report.metrics).toMatchObject({ runs: 150, failedRuns: 100 });
    expect(report.failedRuns).toHaveLength(MAX_LISTED_RUNS);
    expect(report.failedRunsOmitted).toBe(0);
    const more = new SeedAggregate();
    for (let seed = 1; seed <= 250; seed++) more.add(failingRun(seed));
    const big = more.report({ name: 'power-loss', seed: 1, expect: {} } as Parameters<SeedAggregate['report']>[0], 1);
    expect(big.failedRuns.map((f) => f.seed)).toEqual(Array.from({ length: MAX_LISTED_RUNS }, (_, i) => i + 1));
    expect(big.failedRunsOmitted).toBe(150);
    expect(big.failures).toHaveLength(MAX_LISTED_RUNS);
    expect(big.failuresOmitted).toBe(150);
    expect(big.metrics.violationsByInvariant).toEqual({ 'fence-before-evacuate': 250, 'no-double-run': 250 });
    expect(big.exitCode).toBe(1);
    expect(validateReport(big)).toEqual([]);
  });

  it('keeps the runs with the longest downtime, longest first, the lower seed first on ties', () => {
    const aggregate = new SeedAggregate();
    const all: number[] = [];
    for (let seed = 1; seed <= 30; seed++) {
      const run = passingRun(seed);
      run.instances = [recoveredInstance('vm-01', 0)];
      const downtime = (seed * 7919) % 23;
      run.instances[0]!.downtimeMs = downtime;
      run.metrics.recovery = recoveryStats([downtime]);
      all.push(downtime);
      aggregate.add(run);
    }
    const report = aggregate.report({ name: 'x', seed: 1, expect: {} } as Parameters<SeedAggregate['report']>[0], 1);
    const expected = Array.from({ length: 30 }, (_, i) => ({ seed: i + 1, d: all[i]! }))
      .sort((a, b) => b.d - a.d || a.seed - b.seed).slice(0, WORST_RUNS).map((x) => x.seed);
    expect(report.worstRuns.map((w) => w.seed)).toEqual(expected);
    expect(report.metrics.recovery).toEqual(recoveryStats(all));
  });
});

describe('multi-seed report: the whole downtime distribution in a bounded size', () => {
  it('101 whole percentiles whose p50/p95/p99/max are the report\'s exact statistics', async () => {
    const { DowntimeHistogram } = await import('../../../harness/run/downtime-histogram.js');
    const h = new DowntimeHistogram();
    for (let i = 0; i < 10_000; i++) h.add(30_000 + ((i * 7919) % 97_003));
    const p = h.percentiles();
    const s = h.stats();
    expect(p).toHaveLength(101);
    expect([p[50], p[95], p[99], p[100]]).toEqual([s.p50Ms, s.p95Ms, s.p99Ms, s.maxMs]);
    expect([...p].sort((a, b) => a - b)).toEqual(p);
    expect(new DowntimeHistogram().percentiles()).toEqual([]);
  });

  it('the statistics of every downtime added, however they arrive: duplicates, fractions, asked midway', async () => {
    const { DowntimeHistogram } = await import('../../../harness/run/downtime-histogram.js');
    const h = new DowntimeHistogram();
    const all: number[] = [];
    const nearestRank = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
    // Enough to merge its buffer several times; asked between adds as `ihasim serve` and plan summaries may.
    for (let i = 0; i < 30_000; i++) {
      const ms = i % 1_000 === 7 ? 0.5 + (i % 13) : 40_000 + ((i * 7919) % 5_003) * (i % 3 === 0 ? 1 : 17);
      h.add(ms);
      all.push(ms);
      if (i % 9_999 === 0 || i === 29_999) {
        const sorted = [...all].sort((a, b) => a - b);
        expect(h.stats()).toEqual(recoveryStats(all));
        expect(h.percentiles()).toEqual(Array.from({ length: 101 }, (_, p) => nearestRank(sorted, p)));
      }
    }
  });
});
