import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../harness/cli/main.js';
import { ensureBuilt, ROOT, spawnCli } from '../../support/built-cli.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; files: string[] };

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await main(args, (s) => out.push(s));
  return { code, out: out.join('\n') };
}

describe('ihasim --version and shim-path', () => {
  beforeAll(() => ensureBuilt());

  it('--version prints the package version, from the source and from the installed CLI', async () => {
    expect(await cli(['--version'])).toEqual({ code: 0, out: pkg.version });
    const p = spawnCli(['--version']);
    expect(await p.exit).toMatchObject({ code: 0 });
    expect(p.stdout().trim()).toBe(pkg.version);
  });

  it('shim-path prints the absolute directory of the python shim, which the package ships', async () => {
    const p = spawnCli(['shim-path']);
    expect(await p.exit).toMatchObject({ code: 0 });
    const dir = p.stdout().trim();
    expect(isAbsolute(dir)).toBe(true);
    expect(existsSync(join(dir, 'sitecustomize.py'))).toBe(true);
    const top = relative(ROOT, dir).split('/')[0];
    expect(pkg.files).toContain(top);
  });
});
