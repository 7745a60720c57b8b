/**
 * Start-up loads only what the command needs (README "Benchmarks": `--help` ≤ 150 ms). The CLI is bundled into
 * dist/cli/ (scripts/bundle-cli.mjs) with each command a chunk imported when it runs: these check, on the real
 * process, that the bundle kept it so: neither `--help` nor a one-seed run loads a server, TLS, the worker pool,
 * the checker's or the report validator's packages.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt, ROOT, spawnNode } from '../../support/built-cli.js';

const LOG = join(ROOT, 'test/support/module-log.mjs');
const NOT_AT_START = ['fastify', 'pino', 'ssh2', 'piscina', 'undici', 'ajv/dist/ajv', 'ajv-formats', 'fast-check', 'puppeteer'];
// Not worker_threads: the module log's loader hooks themselves run on a worker thread (piscina above stands for it).
const BUILTINS_NOT_AT_START = ['tls', 'http', 'https', 'http2', 'zlib'];

async function loaded(args: string[]): Promise<{ code: number | null; files: string[]; builtins: string[] }> {
  const p = spawnNode(['--import', LOG, BIN, ...args]);
  const { code } = await p.exit;
  const lines = p.stderr().split('\n');
  const files = lines.filter((l) => l.startsWith('ihasim-load ')).map((l) => l.slice('ihasim-load '.length));
  const builtins = (lines.find((l) => l.startsWith('ihasim-builtins ')) ?? '').split(' ').slice(1);
  return { code, files, builtins };
}

function expectLean(r: { files: string[]; builtins: string[] }): void {
  const packages = r.files.filter((f) => f.includes('/node_modules/'));
  for (const name of NOT_AT_START) expect(packages.filter((f) => f.includes(`/node_modules/${name}`)), name).toEqual([]);
  expect(r.builtins.filter((b) => BUILTINS_NOT_AT_START.includes(b))).toEqual([]);
  // The bundle, not ~200 modules one by one.
  const dist = pathToFileURL(join(ROOT, 'dist')).href;
  expect(r.files.filter((f) => f.startsWith(`${dist}/`) && !f.startsWith(`${dist}/cli/`))).toEqual([]);
}

describe('cli start-up (real process, bundled CLI)', () => {
  beforeAll(() => ensureBuilt());

  it('--help loads the launcher and a few chunks, nothing of the servers', async () => {
    const r = await loaded(['--help']);
    expect(r.code).toBe(0);
    expectLean(r);
    expect(r.files.length).toBeLessThanOrEqual(10);
  });

  it('a one-seed run loads no server, TLS or worker pool', async () => {
    const r = await loaded(['run', join(ROOT, 'scenarios/host-hang-fenced.yaml'), '--quiet']);
    expect(r.code).toBe(0);
    expectLean(r);
  });
});
