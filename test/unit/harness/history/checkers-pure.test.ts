import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const history = join(import.meta.dirname, '../../../../harness/history');

/** The history's checkers and the judge: every file but the simulator's recorder (harness/history/sim). */
function pureFiles(): string[] {
  const top = readdirSync(history).filter((f) => f.endsWith('.ts')).map((f) => join(history, f));
  const checkers = readdirSync(join(history, 'checkers')).filter((f) => f.endsWith('.ts')).map((f) => join(history, 'checkers', f));
  return [...top, ...checkers];
}

describe('the history checkers are pure functions of a history', () => {
  it('no checker imports the simulator at run time (sim/**), the world readers (harness/checkers) or the recorder (history/sim)', () => {
    for (const file of pureFiles()) {
      const imports = readFileSync(file, 'utf8').split('\n').filter((l) => /^import /.test(l) && !/^import type /.test(l));
      const bad = imports.filter((l) => /from '(\.\.\/)+sim\/|from '.*harness\/checkers\/|from '\.\.?\/sim\/|from '\.\.\/\.\.\/checkers\//.test(l));
      expect(bad, file).toEqual([]);
    }
  });

  it('nor does it import the recovery logic, even for types', () => {
    for (const file of pureFiles()) {
      expect(readFileSync(file, 'utf8').split('\n').filter((l) => /^import .*sim\/recovery\//.test(l)), file).toEqual([]);
    }
  });
});
