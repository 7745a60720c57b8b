import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { isIhasimError, type IhasimError } from '../../../harness/errors.js';
import { checkOutputPath } from '../../../reports/output-path.js';
import { writeFileAtomic } from '../../../reports/write.js';
import { ensureBuilt, ROOT, spawnNode } from '../../support/built-cli.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ihasim-out-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function ihasimError(fn: () => Promise<unknown>): Promise<IhasimError> {
  const err = await fn().then(() => undefined, (e: unknown) => e);
  if (!isIhasimError(err)) throw new Error(`expected an IhasimError, got ${String(err)}`);
  return err;
}

/** A device node of our own (never the machine's /dev/full: a buggy write would replace it). */
function mknod(name: string, major: number, minor: number): string | null {
  const path = join(dir, name);
  try {
    execFileSync('mknod', [path, 'c', String(major), String(minor)], { stdio: 'ignore' });
    return path;
  } catch {
    return null;
  }
}

describe('output paths: what the target is decides how it is written', () => {
  test('a symlink to a file is followed: the link stays a link, its target gets the data', async () => {
    await writeFile(join(dir, 'real.json'), 'old');
    await symlink('real.json', join(dir, 'link.json'));
    await writeFileAtomic(join(dir, 'link.json'), 'new');
    expect((await lstat(join(dir, 'link.json'))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(dir, 'real.json'), 'utf8')).toBe('new');
    expect((await readdir(dir)).sort()).toEqual(['link.json', 'real.json']);
  });

  test('a dangling symlink gets its target created; the link stays', async () => {
    await mkdir(join(dir, 'out'));
    await symlink(join(dir, 'out', 'r.json'), join(dir, 'link.json'));
    await writeFileAtomic(join(dir, 'link.json'), 'data');
    expect(await readlink(join(dir, 'link.json'))).toBe(join(dir, 'out', 'r.json'));
    expect(await readFile(join(dir, 'out', 'r.json'), 'utf8')).toBe('data');
  });

  test('a FIFO is written in place (its reader gets the data), not replaced by a file', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const chunks: Buffer[] = [];
    const read = new Promise<string>((done, fail) => {
      createReadStream(fifo).on('data', (c) => chunks.push(c as Buffer)).on('end', () => done(Buffer.concat(chunks).toString())).on('error', fail);
    });
    await writeFileAtomic(fifo, ['line 1\n', 'line 2\n']);
    expect(await read).toBe('line 1\nline 2\n');
    expect((await lstat(fifo)).isFIFO()).toBe(true);
    expect(await readdir(dir)).toEqual(['pipe']);
  });

  test('a full device (like /dev/full) is an error a user can fix, exit 3, and the device stays a device', async (ctx) => {
    const full = mknod('full', 1, 7);
    if (full === null) return ctx.skip();
    const err = await ihasimError(() => writeFileAtomic(full, '{}', { flag: '--report' }));
    expect(err.code).toBe('IHASIM_OUTPUT_PATH');
    expect(err.exitCode).toBe(3);
    expect(err.message).toBe(`--report ${full}: cannot write (ENOSPC: no space left on the device)`);
    expect((await lstat(full)).isCharacterDevice()).toBe(true);
    expect(await readdir(dir)).toEqual(['full']);
  });

  test('a null device takes the data and stays a device', async (ctx) => {
    const devnull = mknod('null', 1, 3);
    if (devnull === null) return ctx.skip();
    await writeFileAtomic(devnull, 'x'.repeat(100_000));
    expect((await lstat(devnull)).isCharacterDevice()).toBe(true);
  });
});

describe('output paths: checked before the run', () => {
  test('a missing directory names the flag and the path, exit 3', async () => {
    const path = join(dir, 'nope', 'r.json');
    const err = await ihasimError(() => checkOutputPath(path, '--report'));
    expect(err.code).toBe('IHASIM_OUTPUT_PATH');
    expect(err.exitCode).toBe(3);
    expect(err.message).toBe(`--report ${path}: cannot write (ENOENT: the directory does not exist; create it first)`);
  });

  test('a directory in place of the file, and a file in place of the directory, are refused', async () => {
    await mkdir(join(dir, 'adir'));
    await writeFile(join(dir, 'afile'), '');
    expect((await ihasimError(() => checkOutputPath(join(dir, 'adir'), '--junit'))).message).toMatch(/^--junit .*adir: cannot write \(EISDIR/);
    expect((await ihasimError(() => checkOutputPath(join(dir, 'afile', 'r.xml'), '--junit'))).message).toMatch(/ENOTDIR/);
  });

  test('existing files, new files, symlinks, devices and /dev/stdout pass', async () => {
    await writeFile(join(dir, 'old.json'), '');
    await checkOutputPath(join(dir, 'old.json'), '--report');
    await checkOutputPath(join(dir, 'new.json'), '--report');
    await checkOutputPath('/dev/stdout', '--report');
    await checkOutputPath('/dev/null', '--report');
  });
});

describe('output paths: an interrupted write leaves no temp file', () => {
  beforeAll(() => ensureBuilt());

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    test(`${signal} in the middle of a write removes the temp file and still kills the process`, async () => {
      // A write whose data never ends: the process is inside writeFileAtomic when the signal arrives.
      const script = join(dir, 'stall.mjs');
      await writeFile(script, [
        `import { writeFileAtomic } from ${JSON.stringify(join(ROOT, 'dist/reports/write.js'))};`,
        'setInterval(() => {}, 1000);',
        'async function* stalling() { yield "start\\n"; console.log("writing"); await new Promise(() => {}); }',
        `await writeFileAtomic(${JSON.stringify(join(dir, 'out', 'r.json'))}, stalling());`,
      ].join('\n'));
      await mkdir(join(dir, 'out'));
      const p = spawnNode([script]);
      await p.waitFor(/writing/);
      expect((await readdir(join(dir, 'out'))).filter((f) => f.endsWith('.tmp'))).toHaveLength(1);
      p.child.kill(signal);
      expect(await p.exit).toMatchObject({ signal });
      expect(await readdir(join(dir, 'out'))).toEqual([]);
    });
  }
});
