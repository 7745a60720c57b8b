import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../../sim');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Wall-clock and global-randomness reads. KernelClock's own `setTimeout(fn, timeout)` method (xstate's Clock interface, on the kernel's queue) is the one allowed name. */
const FORBIDDEN = /Date\.now|new Date\(|Math\.random|performance\.now|process\.hrtime|(?<![\w.])setTimeout\(|setInterval\(|setImmediate\(/;

describe('determinism: nothing under sim/ reads the wall clock or Math.random', () => {
  for (const file of files(root)) {
    it(relative(root, file), () => {
      const code = readFileSync(file, 'utf8').split('\n').filter((l) => !/^\s*(\/\/|\*)/.test(l));
      const hits = code.filter((l) => FORBIDDEN.test(l) && !/^\s*setTimeout\(fn: /.test(l));
      expect(hits).toEqual([]);
    });
  }
});
