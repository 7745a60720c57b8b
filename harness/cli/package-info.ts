/**
 * Facts about the installed package, found at run time relative to this module: the same code runs from
 * `harness/cli/` (tests) and from `dist/harness/cli/` (the installed CLI), so paths are found by walking up
 * to ihasim's own package.json rather than by a fixed number of `..`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory of ihasim's package.json. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'ihasim') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`ihasim's package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** The `version` of ihasim's package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The directory to put first on PYTHONPATH for Debian 12's fence_compute and fence_evacuate: its
 * sitecustomize.py restores `inspect.getargspec`, which Python 3.11 removed (see the file).
 */
export function pythonShimPath(): string {
  return join(packageRoot(), 'support', 'python-shim');
}
