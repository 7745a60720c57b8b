import { lstat, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../../support/cli-in-process.js';
import { ensureBuilt, spawnCli } from '../../support/built-cli.js';

const scenarios = join(import.meta.dirname, '../../../scenarios');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ihasim-cli-out-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});


describe('cli: output paths are checked before the run', () => {
  it('--report into a missing directory exits 3 at once, naming the flag and the path, without simulating', async () => {
    const path = join(dir, 'missing', 'r.json');
    const r = await cli(['run', join(scenarios, 'host-hang-fenced.yaml'), '--report', path]);
    expect(r.code).toBe(3);
    expect(r.err.trim()).toBe(`error[IHASIM_OUTPUT_PATH]: --report ${path}: cannot write (ENOENT: the directory does not exist; create it first)`);
    expect(r.out).toBe('');
  });

  it('--trace onto a directory exits 3 naming --trace; --seeds runs are checked too', async () => {
    const trace = await cli(['run', join(scenarios, 'host-hang-fenced.yaml'), '--trace', dir]);
    expect(trace.code).toBe(3);
    expect(trace.err).toMatch(/--trace .*: cannot write \(EISDIR/);
    const seeds = await cli(['run', join(scenarios, 'host-hang-fenced.yaml'), '--seeds', '3', '--html', join(dir, 'x', 'r.html')]);
    expect(seeds.code).toBe(3);
    expect(seeds.err).toMatch(/--html .*r\.html: cannot write/);
    expect(seeds.out).toBe('');
  });
});

describe('cli: special output targets (real process)', () => {
  beforeAll(() => ensureBuilt());

  it('--report through a link to /dev/stdout prints the report on stdout; the link is not replaced', async () => {
    // A link of our own: a bug would replace it, never the machine's /dev/stdout.
    const link = join(dir, 'out.json');
    await symlink('/dev/stdout', link);
    const p = spawnCli(['run', join(scenarios, 'host-hang-fenced.yaml'), '--quiet', '--report', link]);
    expect(await p.exit).toMatchObject({ code: 0 });
    expect(JSON.parse(p.stdout())).toMatchObject({ kind: 'run', verdict: 'pass' });
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readdir(dir)).toEqual(['out.json']);
  });
});
