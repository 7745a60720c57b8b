/**
 * `--jobs N`, `--shard i/n` and Ctrl-C for `ihasim run --seeds` and `ihasim plan`, as a real process (worker
 * threads load the compiled worker). Every comparison is of bytes: the number of threads, or splitting the
 * seeds into shards, must not change a report. No verdict depends on the machine's speed: the Ctrl-C test
 * waits for a progress line before signalling, and only asserts what was folded.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureBuilt, spawnCli } from '../../support/built-cli.js';

const scenario = join(import.meta.dirname, '../../../scenarios/host-power-loss-fast-detection-forcedown.yaml');
const rack = join(import.meta.dirname, '../../../scenarios/rack-power-loss.yaml');

let dir: string;
beforeAll(() => ensureBuilt());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ihasim-jobs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(args: string[], cwd = dir): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = spawnCli(args, { cwd });
  const { code } = await p.exit;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

const read = (...parts: string[]): Promise<string> => readFile(join(dir, ...parts), 'utf8');

describe('ihasim run --seeds --jobs', () => {
  it('--jobs 1 and --jobs 2 write byte-identical JSON reports and JSONL, failures and worst runs included', async () => {
    for (const jobs of ['1', '2']) {
      // Same relative paths in two directories: the report names its JSONL file.
      await mkdir(join(dir, jobs));
      const r = await cli(['run', rack, '--seeds', '40', '--jobs', jobs, '--report', 'r.json', '--runs-jsonl', 'runs.jsonl', '--quiet'], join(dir, jobs));
      expect(r.code).toBe(2); // the rack loss strands some evacuations: liveness findings, a mix of pass and fail
    }
    expect(await read('2', 'r.json')).toBe(await read('1', 'r.json'));
    expect(await read('2', 'runs.jsonl')).toBe(await read('1', 'runs.jsonl'));
    const report = JSON.parse(await read('1', 'r.json'));
    expect(report.metrics.runs).toBe(40);
    expect(report.failedRuns.length).toBeGreaterThan(0);
    expect((await read('1', 'runs.jsonl')).trim().split('\n')).toHaveLength(40);
  });

  it('rejects --jobs 0 with exit 3, and --seeds 0 still exits 3', async () => {
    expect((await cli(['run', scenario, '--seeds', '4', '--jobs', '0'])).code).toBe(3);
    expect((await cli(['run', scenario, '--seeds', '0'])).code).toBe(3);
    expect((await cli(['run', scenario, '--seeds', '99999999999'])).code).toBe(3);
  });
});

describe('ihasim run --seeds --shard and ihasim merge', () => {
  it('three shards merged give the unsharded report, byte for byte', async () => {
    expect((await cli(['run', rack, '--seeds', '25', '--report', 'whole.json', '--quiet', '--jobs', '2'])).code).toBe(2);
    for (const i of [1, 2, 3]) {
      const r = await cli(['run', rack, '--seeds', '25', '--shard', `${i}/3`, '--out', `part${i}.json`, '--jobs', String(1 + (i % 2))]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^shard ${i}/3: seeds \\d+\\.\\.\\d+ written to part${i}.json`, 'm'));
    }
    const merged = await cli(['merge', 'part3.json', 'part1.json', 'part2.json', '--json', 'merged.json']);
    expect(merged.code).toBe(2);
    expect(merged.stdout).toMatch(/^ihasim run rack-power-loss: 25 runs/m);
    expect(await read('merged.json')).toBe(await read('whole.json'));
  });

  it('merge refuses a missing shard and --shard without --out', async () => {
    await cli(['run', scenario, '--seeds', '6', '--shard', '1/2', '--out', 'p1.json']);
    const missing = await cli(['merge', 'p1.json']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('missing shard(s) 2/2');
    const noOut = await cli(['run', scenario, '--seeds', '6', '--shard', '1/2']);
    expect(noOut.code).toBe(3);
    expect(noOut.stderr).toContain('--shard writes a part file');
  });
});

describe('ihasim plan --jobs', () => {
  it('--jobs 1 and --jobs 2 write byte-identical plan JSON and per-seed CSV', async () => {
    for (const jobs of ['1', '2']) {
      const r = await cli(['plan', scenario, '--vary', 'recovery.forceDown=true,false', '--seeds', '12', '--jobs', jobs, '--json', `p${jobs}.json`, '--per-seed-csv', `s${jobs}.csv`, '--quiet']);
      expect(r.code).toBe(0);
    }
    expect(await read('p2.json')).toBe(await read('p1.json'));
    expect(await read('s2.csv')).toBe(await read('s1.csv'));
  });

  it('a --search on one pool of --jobs 2 (kept across its values) gives --jobs 1\'s plan JSON, and exits', async () => {
    const lowCapacity = join(import.meta.dirname, '../../../scenarios/rack-power-loss-low-capacity.yaml');
    const outs: string[] = [];
    for (const jobs of ['1', '2', null]) {
      const r = await cli(['plan', lowCapacity, '--set', 'topology.computes[1]={name: "spare-{1..1}", rack: r3, vcpus: 8, ramMb: 16384, diskGb: 400}',
        '--search', 'topology.computes[1].name=1..8', '--as', 'spare-{1..%v}', '--target', 'recovered-fraction(10m) >= 0.99', '--seeds', '12',
        ...(jobs ? ['--jobs', jobs] : []), '--json', `search${jobs ?? 'default'}.json`, '--quiet']);
      expect(r.code).toBe(0);
      outs.push(await read(`search${jobs ?? 'default'}.json`));
    }
    expect(outs[1]).toBe(outs[0]);
    expect(outs[2]).toBe(outs[0]);
    expect(JSON.parse(outs[0]!).search.verdict).toBe('found');
  });
});

describe('ihasim run --seeds: Ctrl-C', () => {
  for (const jobs of ['1', '2']) {
    it(`--jobs ${jobs}: prints the aggregate of the seeds finished and exits 130`, async () => {
      const p = spawnCli(['run', scenario, '--seeds', '1000000', '--jobs', jobs, '--report', 'partial.json'], { cwd: dir, env: { IHASIM_PROGRESS: '1' } });
      await p.waitFor(/seed 100\/1000000/);
      p.child.kill('SIGINT');
      expect(await p.exit).toMatchObject({ code: 130 });
      const stopped = /^stopped by Ctrl-C: the (\d+) seed\(s\) finished of 1000000$/m.exec(p.stdout());
      expect(stopped).not.toBeNull();
      const done = Number(stopped![1]);
      expect(done).toBeGreaterThanOrEqual(100);
      expect(done).toBeLessThan(1000000);
      expect(p.stdout()).toMatch(new RegExp(`^ihasim run \\S+: ${done} runs`, 'm'));
      const report = JSON.parse(await read('partial.json'));
      expect(report.seeds.count).toBe(done);
      expect(report.metrics.runs).toBe(done);
    });
  }
});
