import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import { IhasimError } from '../../harness/errors.js';
import { parseScenario } from '../../harness/scenario/index.js';

/**
 * The loader's contract on any input: a spec, or an IhasimError with at least one detail — never another
 * exception. On failure fast-check prints `{ seed, path }`; replay with FC_SEED=<seed> FC_PATH=<path>.
 */
const RUNS = Number(process.env.FC_NUM_RUNS ?? 200);
const replay = process.env.FC_SEED
  ? { seed: Number(process.env.FC_SEED), ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}) }
  : {};
const PARAMS = { numRuns: RUNS, verbose: 1, ...replay } as const;

const VALID_TEXT = readFileSync(new URL('../unit/harness/scenario/fixtures/rack-power-loss.yaml', import.meta.url), 'utf8');
const VALID: unknown = parse(VALID_TEXT);

/** Parses; returns normally for a spec or a well-formed IhasimError, throws for anything else. */
function loaderHoldsContract(text: string): void {
  try {
    const spec = parseScenario(text, 'fuzz.yaml');
    expect(Object.isFrozen(spec)).toBe(true);
  } catch (err) {
    if (!(err instanceof IhasimError)) throw err;
    if (err.details.length === 0) throw new Error(`IhasimError without details: ${err.code} ${err.message}`);
    for (const d of err.details) if (typeof d.message !== 'string' || d.message === '') throw new Error('a detail without a message');
  }
}

/** Values that hit the loader's interesting corners. */
const durationish = fc.tuple(fc.oneof(fc.integer({ min: -5, max: 100_000 }), fc.double({ noNaN: false })), fc.constantFrom('ms', 's', 'm', 'h', 'x', '', 'd', 'h30m'))
  .map(([n, u]) => `${n}${u}`);
const nameish = fc.constantFrom('compute-*', 'compute-{01..99}', 'r{2..1}', 'c{}', 'controller-?', 'web-1', '{a,b}', 'nope', 'compute-{1..2000000}');
const targetish = fc.oneof(nameish, fc.constant({ rack: 'r1' }), fc.constant({ count: 99, from: 'compute-*' }), fc.constant({ az: 'x' }), fc.constant({ count: 1 }));
const value = fc.oneof(fc.jsonValue({ maxDepth: 3 }), durationish, nameish, targetish, fc.string(), fc.integer(), fc.boolean(), fc.constant(null));

type Tree = Record<string, unknown> | unknown[];
type Path = (string | number)[];

/** Every path into a tree (containers and leaves). */
function paths(node: unknown, prefix: Path = []): Path[] {
  if (node === null || typeof node !== 'object') return [];
  const entries = Array.isArray(node) ? node.map((v, i) => [i, v] as const) : Object.entries(node);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
}

/** The container holding the last segment of a path. */
function parentOf(root: Tree, path: Path): Tree {
  let node: unknown = root;
  for (const seg of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[seg];
  return node as Tree;
}

type Mutation = { at: number; op: 'delete' | 'replace' | 'rename'; value: unknown; key: string };

/** Applies mutations to a copy of the valid scenario. */
function mutate(mutations: readonly Mutation[]): unknown {
  const root = structuredClone(VALID) as Tree;
  for (const m of mutations) {
    const all = paths(root);
    if (all.length === 0) break;
    const path = all[m.at % all.length]!;
    const parent = parentOf(root, path) as Record<string | number, unknown>;
    const last = path[path.length - 1]!;
    if (m.op === 'replace') parent[last] = m.value;
    else if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else {
      const old = parent[last];
      delete parent[last];
      if (m.op === 'rename') parent[m.key] = old;
    }
  }
  return root;
}

const mutation = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('delete', 'replace', 'rename') as fc.Arbitrary<Mutation['op']>,
  value,
  key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('sevrers', 'durations', 'targett', 'reportIntervalMs', '__proto__')),
});

describe('scenario loader fuzz: only a spec or an IhasimError with details', () => {
  test('the valid example parses', () => {
    expect(() => parseScenario(VALID_TEXT)).not.toThrow();
  });

  test('arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), loaderHoldsContract), PARAMS);
  });

  test('arbitrary YAML-ish objects', () => {
    const doc = fc.dictionary(fc.oneof(fc.constantFrom('ihasim', 'name', 'duration', 'topology', 'servers', 'faults', 'config', 'expect'), fc.string()), value);
    fc.assert(fc.property(doc, (d) => loaderHoldsContract(stringify({ ihasim: 1, name: 'f', duration: '1h', ...d }))), PARAMS);
  });

  test('mutations of a valid scenario (deleted keys, changed types, random durations)', () => {
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 5 }), (ms) => loaderHoldsContract(stringify(mutate(ms)))), PARAMS);
  });

  test('line-level edits of the valid text (truncation, duplicated and dropped lines)', () => {
    const lines = VALID_TEXT.split('\n');
    const edit = fc.record({ drop: fc.nat({ max: lines.length }), dup: fc.nat({ max: lines.length }), cut: fc.nat({ max: VALID_TEXT.length }) });
    fc.assert(fc.property(edit, ({ drop, dup, cut }) => {
      const edited = lines.filter((_, i) => i !== drop).flatMap((l, i) => (i === dup ? [l, l] : [l])).join('\n');
      loaderHoldsContract(edited.slice(0, cut + 20));
    }), PARAMS);
  });
});
