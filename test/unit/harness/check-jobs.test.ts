/**
 * `ihasim check --jobs N` as a real process (worker threads load the compiled worker): any number of threads
 * finds the counterexample one thread finds, with the same path, shrinks, run count and written scenario, and
 * prints the same bytes apart from the elapsed time. Every search is bounded by a run count, never by time.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureBuilt, spawnCli } from '../../support/built-cli.js';

const playground = join(import.meta.dirname, '../../../scenarios/check-6-computes.yaml');
/** test/property/check.test.ts's small world for --exhaustive. */
const TINY = `ihasim: 1
name: tiny
duration: 20m
topology: { controllers: 3, computes: [{ name: "c{1..3}", vcpus: 8, ramMb: 16384, diskGb: 200 }] }
flavors: { f: { vcpus: 1, ramMb: 2048, diskGb: 10 } }
images: { i: { properties: {} } }
servers: [{ name: "vm{1..6}", flavor: f, image: i }]
config: { pacemaker: { remoteMonitorInterval: 5s, remoteMonitorTimeout: 5s }, host: { boot: 20s } }
check: { faults: [host-power-loss, host-hang, bmc-broken], window: [1m, 2m], maxDuration: 2m, grid: 30s }
`;

let dir: string;
beforeAll(() => ensureBuilt());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ihasim-check-jobs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The CLI in `dir/<sub>` (created), so each run writes its counterexample scenario to its own directory. */
async function cli(args: string[], sub: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  await mkdir(join(dir, sub), { recursive: true });
  const p = spawnCli(args, { cwd: join(dir, sub) });
  const { code } = await p.exit;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

/** The output with the elapsed time and rate taken out: the one thing allowed to differ between thread counts. */
const timeless = (s: string): string => s.replace(/ in \d+\.\d s \(\d+\/s\)/g, ' in T s (R/s)').replace(/ in \d+\.\d s/g, ' in T s').replace(/"elapsedMs":\d+/g, '"elapsedMs":T');

describe('ihasim check --jobs', () => {
  // source-restart-skips-pre-migrating with seed 1 first fails at schedule 357 (slice 12 of 32 schedules on two
  // workers), so slices after it are in flight and must be cut and discarded.
  const defect = ['--defect', 'source-restart-skips-pre-migrating', '--seed', '1', '--runs', '1000', '--out', 'cx.yaml'];

  it('a catalogued defect: --jobs 2 prints the bytes --jobs 1 prints (counterexample, shrinks, path, run count) and writes the same scenario', async () => {
    const one = await cli(['check', playground, ...defect, '--jobs', '1'], '1');
    const two = await cli(['check', playground, ...defect, '--jobs', '2'], '2');
    expect(one.code).not.toBe(0);
    expect(two.code).toBe(one.code);
    expect(one.stdout).toMatch(/^replay: +npx ihasim check .* --seed 1 --path 357:\S+ --defect source-restart-skips-pre-migrating$/m);
    expect(timeless(two.stdout.replaceAll(join(dir, '2'), 'D'))).toBe(timeless(one.stdout.replaceAll(join(dir, '1'), 'D')));
    expect(await readFile(join(dir, '2', 'cx.yaml'), 'utf8')).toBe(await readFile(join(dir, '1', 'cx.yaml'), 'utf8'));
  });

  it('--json: the same JSON for --jobs 1 and --jobs 2; the replay line of the --jobs 2 run reproduces its counterexample', async () => {
    const one = JSON.parse((await cli(['check', playground, ...defect, '--json', '--jobs', '1'], '1')).stdout);
    const two = JSON.parse((await cli(['check', playground, ...defect, '--json', '--jobs', '2'], '2')).stdout);
    expect({ ...two, scenario: null }).toEqual({ ...one, scenario: null });
    expect(two.path).toMatch(/^357:/);
    expect(two.runs).toBeGreaterThan(357);
    const replay = JSON.parse((await cli(['check', playground, '--defect', 'source-restart-skips-pre-migrating', '--seed', '1', '--path', two.path, '--json', '--out', 'cx.yaml'], 'replay')).stdout);
    expect(replay.schedule).toBe(two.schedule);
    expect(replay.violations).toEqual(two.violations);
    expect(replay.path).toBe(two.path);
  });

  it('a passing search of --runs 200 runs 200 schedules on 2 threads as on 1, and says the same', async () => {
    const args = ['check', playground, '--seed', '11', '--runs', '200', '--json'];
    const one = await cli([...args, '--jobs', '1'], '1');
    const two = await cli([...args, '--jobs', '2'], '2');
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ ok: true, runs: 200, seed: 11, timeBudgetReached: false, interrupted: false });
    expect(timeless(two.stdout)).toBe(timeless(one.stdout));
  });

  it('--exhaustive: --jobs 2 explores the same schedules and reports the same first violation as --jobs 1', async () => {
    const tiny = join(dir, 'tiny.yaml');
    await writeFile(tiny, TINY);
    const clean = ['check', tiny, '--exhaustive', '--depth', '1'];
    const cleanOne = await cli([...clean, '--jobs', '1'], 'c1');
    const cleanTwo = await cli([...clean, '--jobs', '2'], 'c2');
    expect(cleanOne.code).toBe(0);
    expect(cleanOne.stdout).toMatch(/explored 54 schedules of up to 1 fault/);
    expect(timeless(cleanTwo.stdout)).toBe(timeless(cleanOne.stdout));
    // The defect first shows at schedule 838 of 1,485 (depth 2, depth-first): slices after it are cut.
    const broken = ['check', tiny, '--exhaustive', '--depth', '2', '--defect', 'trust-bmc-ok'];
    const one = await cli([...broken, '--jobs', '1'], '1');
    const two = await cli([...broken, '--jobs', '2'], '2');
    expect(one.code).toBe(1);
    expect(one.stdout).toMatch(/explored 838 schedules of up to 2 fault\(s\)/);
    expect(one.stdout).toMatch(/^VIOLATION with: HostHang\(c1\) at 1m for 30s; BmcBroken\(c1\) at 1m for 30s$/m);
    expect(two.code).toBe(1);
    expect(timeless(two.stdout)).toBe(timeless(one.stdout));
  });

  it('rejects --jobs 0 with exit 3', async () => {
    const r = await cli(['check', playground, '--runs', '10', '--jobs', '0'], '0');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--jobs takes 1..256 worker threads');
  });
});

describe('ihasim check --jobs 2: Ctrl-C', () => {
  const READY = /^checking /m;

  it('stops dispatching, reports what was explored in order, exits 130; --json says interrupted and not ok', async () => {
    const p = spawnCli(['check', playground, '--runs', '100000000', '--jobs', '2', '--json'], { cwd: dir });
    await p.waitFor(READY);
    p.child.kill('SIGINT');
    expect(await p.exit).toMatchObject({ code: 130 });
    const json = JSON.parse(p.stdout());
    expect(json).toMatchObject({ ok: false, interrupted: true, signal: 'SIGINT', timeBudgetReached: false });
    expect(json.runs).toBeGreaterThanOrEqual(0);
    expect(json.runs).toBeLessThan(100000000);
  });

  it('--exhaustive --jobs 2 stops on SIGTERM and prints how much it explored', async () => {
    // About 1.4 million schedules: the signal lands in the middle.
    const p = spawnCli(['check', playground, '--exhaustive', '--depth', '2', '--grid', '1m', '--jobs', '2'], { cwd: dir });
    await p.waitFor(READY);
    p.child.kill('SIGTERM');
    expect(await p.exit).toMatchObject({ code: 143 });
    expect(p.stdout()).toMatch(/^ihasim check --exhaustive check-6-computes: explored \d+ schedules .*, stopped by SIGTERM$/m);
    expect(p.stdout()).toMatch(/no invariant violated in what was explored\./);
  });
});
