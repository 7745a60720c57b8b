import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defectNames } from '../../../harness/check/defects.js';

const sim = join(import.meta.dirname, '../../../sim');
const repo = join(sim, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every `import … from` / `export … from` of a file: the resolved target and whether only types come in. */
function imports(file: string): { target: string; typeOnly: boolean }[] {
  const code = readFileSync(file, 'utf8');
  const out: { target: string; typeOnly: boolean }[] = [];
  for (const m of code.matchAll(/^(?:import|export)\s+(type\s+)?([\s\S]*?)\s*from\s+'([^']+)'/gm)) {
    const [, typeKeyword, clause, spec] = m as unknown as [string, string | undefined, string, string];
    if (!spec.startsWith('.')) continue;
    const names = clause.replace(/[{}]/g, '').split(',').map((s) => s.trim()).filter(Boolean);
    const typeOnly = typeKeyword !== undefined || (names.length > 0 && names.every((n) => n.startsWith('type ')));
    out.push({ target: relative(repo, resolve(dirname(file), spec.replace(/\.js$/, '.ts'))), typeOnly });
  }
  return out;
}

/**
 * A design is built from its ports and its config only (docs/model.md "Recovery designs"): the same code runs on
 * simulated or real ports. So nothing of the recovery logic may reach into the world.
 */
function forbidden(target: string, typeOnly: boolean): string | null {
  if (target === 'sim/world.ts') return 'the world';
  for (const dir of ['sim/infra/', 'sim/pacemaker/', 'sim/adapters/']) if (target.startsWith(dir)) return dir;
  if (target.startsWith('sim/nova/') && !typeOnly) return 'a runtime value of sim/nova (type-only imports of records are fine)';
  return null;
}

describe('recovery designs reach the world only through their ports', () => {
  for (const file of files(join(sim, 'recovery'))) {
    it(relative(repo, file), () => {
      const bad = imports(file).flatMap(({ target, typeOnly }) => {
        const why = forbidden(target, typeOnly);
        return why ? [`${target}: ${why}`] : [];
      });
      expect(bad).toEqual([]);
    });
  }

  it('the check itself catches a runtime import of Nova and an import of the world', () => {
    expect(forbidden('sim/nova/records.ts', false)).not.toBeNull();
    expect(forbidden('sim/nova/records.ts', true)).toBeNull();
    expect(forbidden('sim/world.ts', true)).not.toBeNull();
    expect(forbidden('sim/adapters/design-ports.ts', true)).not.toBeNull();
  });

  it('the Pacemaker model does not import the recovery logic', () => {
    for (const file of files(join(sim, 'pacemaker'))) {
      expect(imports(file).filter((i) => i.target.startsWith('sim/recovery/')).map((i) => i.target)).toEqual([]);
    }
  });
});

describe('checkers never branch on a design\'s name', () => {
  const NAME_BRANCH = /policy\s*[!=]==\s*'|'(?:instanceha|notify|no-fence|none|external)'\s*[!=]==\s*[\w.]*policy/;
  for (const file of files(join(repo, 'harness/checkers'))) {
    it(relative(repo, file), () => {
      const hits = readFileSync(file, 'utf8').split('\n').filter((l) => NAME_BRANCH.test(l));
      expect(hits).toEqual([]);
    });
  }
});

describe('designs ask only for catalogued defects', () => {
  // ports.hasDefect takes a string (a design's defects are its own); a misspelt name would silently test the correct
  // logic, so every literal a design passes must be in the catalogue (core or a design's).
  for (const file of files(join(sim, 'recovery'))) {
    it(relative(repo, file), () => {
      const asked = [...readFileSync(file, 'utf8').matchAll(/hasDefect\('([^']+)'\)/g)].map((m) => m[1]!);
      expect(asked.filter((name) => !defectNames().includes(name))).toEqual([]);
    });
  }
});
