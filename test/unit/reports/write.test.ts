import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { isIhasimError, type IhasimError } from '../../../harness/errors.js';
import { validateReport } from '../../../reports/validate.js';
import { renderJson, writeFileAtomic, writeReports } from '../../../reports/write.js';
import { failingRun } from '../../support/sample-report.js';
import { parseXml } from './xml-check.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ihasim-write-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `fn`, expecting it to reject with an IhasimError, and returns that error. */
async function ihasimError(fn: () => Promise<unknown>): Promise<IhasimError> {
  const err = await fn().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isIhasimError(err)) throw new Error(`expected an IhasimError, got ${String(err)}`);
  return err;
}

describe('reports: atomic writes', () => {
  test('writes a new file and leaves no temp file behind', async () => {
    const path = join(dir, 'report.json');
    await writeFileAtomic(path, 'hello ✓\n');
    expect(await readFile(path, 'utf8')).toBe('hello ✓\n');
    expect(await readdir(dir)).toEqual(['report.json']);
  });

  test('replaces an existing file; a concurrent reader sees the old or the new content, never a mix', async () => {
    const path = join(dir, 'report.json');
    const old = 'a'.repeat(2_000_000);
    const next = 'b'.repeat(2_000_000);
    await writeFile(path, old);
    let done = false;
    const writing = writeFileAtomic(path, next).finally(() => {
      done = true;
    });
    const seen = new Set<string>();
    while (!done) seen.add(await readFile(path, 'utf8').then((s) => (s === old ? 'old' : s === next ? 'new' : 'mixed')));
    await writing;
    expect(seen.size).toBeGreaterThan(0);
    expect(seen.has('mixed')).toBe(false);
    expect(await readFile(path, 'utf8')).toBe(next);
    expect(await readdir(dir)).toEqual(['report.json']);
  });

  test('into a missing directory fails with IHASIM_OUTPUT_PATH (exit 3), one line naming the flag and the path', async () => {
    const path = join(dir, 'missing', 'report.json');
    const err = await ihasimError(() => writeFileAtomic(path, 'x', { flag: '--report' }));
    expect(err.code).toBe('IHASIM_OUTPUT_PATH');
    expect(err.exitCode).toBe(3);
    expect(err.message).toBe(`--report ${path}: cannot write (ENOENT: the directory does not exist; create it first)`);
    expect(err.details).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  test('a directory in place of the file is refused (EISDIR, exit 3) and left intact, with no temp file', async () => {
    const path = join(dir, 'report.json');
    await mkdir(path);
    await writeFile(join(path, 'keep'), 'old');
    const err = await ihasimError(() => writeFileAtomic(path, 'new'));
    expect(err.code).toBe('IHASIM_OUTPUT_PATH');
    expect(err.message).toMatch(/EISDIR/);
    expect(await readdir(dir)).toEqual(['report.json']);
    expect(await readFile(join(path, 'keep'), 'utf8')).toBe('old');
  });

  test('chunks are written in order, as one file', async () => {
    const path = join(dir, 'trace.jsonl');
    async function* lines(): AsyncIterable<string> {
      for (let i = 0; i < 3; i++) yield `{"i":${i}}\n`;
    }
    await writeFileAtomic(path, lines());
    expect(await readFile(path, 'utf8')).toBe('{"i":0}\n{"i":1}\n{"i":2}\n');
    expect(await readdir(dir)).toEqual(['trace.jsonl']);
  });
});

describe('reports: writeReports', () => {
  test('writes each requested format, each one readable', async () => {
    const report = failingRun();
    const targets = {
      json: join(dir, 'r.json'),
      junit: join(dir, 'r.xml'),
      markdown: join(dir, 'r.md'),
      html: join(dir, 'r.html'),
    };
    await writeReports(report, targets);
    expect((await readdir(dir)).sort()).toEqual(['r.html', 'r.json', 'r.md', 'r.xml']);
    const json = await readFile(targets.json, 'utf8');
    expect(json).toBe(renderJson(report));
    expect(validateReport(JSON.parse(json))).toEqual([]);
    expect(parseXml(await readFile(targets.junit, 'utf8')).name).toBe('testsuites');
    expect(await readFile(targets.markdown, 'utf8')).toContain('## ihasim FAIL');
    expect(await readFile(targets.html, 'utf8')).toContain('<!DOCTYPE html>');
  });

  test('writes only the formats asked for', async () => {
    await writeReports(failingRun(), { junit: join(dir, 'junit.xml') });
    expect(await readdir(dir)).toEqual(['junit.xml']);
  });

  test('stops at the first unwritable target, naming its flag; earlier files stay', async () => {
    const bad = join(dir, 'nope', 'r.xml');
    const err = await ihasimError(() => writeReports(failingRun(), { json: join(dir, 'r.json'), junit: bad, html: join(dir, 'r.html') }));
    expect(err.code).toBe('IHASIM_OUTPUT_PATH');
    expect(err.message).toMatch(/^--junit .*nope\/r\.xml: cannot write \(ENOENT/);
    expect(await readdir(dir)).toEqual(['r.json']);
  });
});
