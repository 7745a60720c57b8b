import { describe, expect, test } from 'vitest';
import { IhasimError } from '../../../../harness/errors.js';
import { expandBraces, spreadOver } from '../../../../harness/scenario/index.js';
import { HEADER, detailAt, fails, ok } from './helpers.js';

describe('scenario: brace ranges', () => {
  test('keeps zero padding at the width of the wider bound', () => {
    expect(expandBraces('compute-{01..16}')).toHaveLength(16);
    expect(expandBraces('compute-{01..16}').slice(0, 2)).toEqual(['compute-01', 'compute-02']);
    expect(expandBraces('c{8..010}')).toEqual(['c008', 'c009', 'c010']);
    expect(expandBraces('r{1..10}').at(-1)).toBe('r10');
    expect(expandBraces('r{1..10}')[0]).toBe('r1');
  });

  test('expands lists, letter ranges and several groups (leftmost slowest)', () => {
    expect(expandBraces('{web,db}-1')).toEqual(['web-1', 'db-1']);
    expect(expandBraces('rack-{a..c}')).toEqual(['rack-a', 'rack-b', 'rack-c']);
    expect(expandBraces('r{1..2}-c{1..2}')).toEqual(['r1-c1', 'r1-c2', 'r2-c1', 'r2-c2']);
    expect(expandBraces('plain')).toEqual(['plain']);
  });

  test.each([
    ['c{5..1}', 'reversed'], ['c{}', 'empty braces'], ['c{1..', 'unmatched `{`'], ['c}1', 'unmatched `}`'],
    ['c{a,,b}', 'empty item'], ['c{1..x}', 'not a range'], ['c{{1..2}}', 'nested'], ['c{1}', 'single value'],
    ['c{1..2000000}', 'too large'], ['{1..1000}{1..1000}{1..2}', 'expands to 2000000'],
  ])('rejects %s (%s)', (pattern, words) => {
    expect(() => expandBraces(pattern)).toThrow(IhasimError);
    expect(() => expandBraces(pattern)).toThrow(words);
  });
});

describe('scenario: spreading ranged attributes', () => {
  test('spreads in contiguous equal blocks', () => {
    expect(spreadOver(4, ['a', 'b'])).toEqual(['a', 'a', 'b', 'b']);
  });

  test('uneven counts: earlier blocks are larger', () => {
    expect(spreadOver(10, ['a', 'b', 'c'])).toEqual(['a', 'a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', 'c']);
    expect(spreadOver(2, ['a', 'b', 'c'])).toEqual(['a', 'b']);
  });

  test('compute-{01..16} with rack r{1..2}: 01..08 in r1, 09..16 in r2', () => {
    const spec = ok(`${HEADER}topology:\n  computes:\n    - { name: "compute-{01..16}", rack: "r{1..2}", az: "az{1..3}" }\n`);
    const racks = spec.topology.computes.map((c) => `${c.name}:${c.rack}:${c.az}`);
    expect(racks[7]).toBe('compute-08:r1:az2');
    expect(racks[8]).toBe('compute-09:r2:az2');
    expect(spec.topology.computes.filter((c) => c.az === 'az1')).toHaveLength(6);
    expect(spec.topology.computes.filter((c) => c.az === 'az3').map((c) => c.name)).toEqual(
      ['compute-12', 'compute-13', 'compute-14', 'compute-15', 'compute-16']);
  });

  test('servers spread over a ranged host', () => {
    const spec = ok(`${HEADER}topology: { computes: [{ name: "c{1..2}" }] }
flavors: { f: {} }
images: { i: {} }
servers: [{ name: "s{1..4}", flavor: f, image: i, host: "c{1..2}" }]
`);
    expect(spec.servers.map((s) => s.host)).toEqual(['c1', 'c1', 'c2', 'c2']);
  });

  test('scenario: a reversed range in a name is a semantic error at its line', () => {
    const err = fails(`${HEADER}topology:\n  computes:\n    - { name: "c{9..1}" }\n`, 'IHASIM_SCENARIO_SEMANTIC');
    const d = detailAt(err, 'topology.computes[0].name');
    expect(d.message).toContain('reversed range');
    expect(d.line).toBe(6);
  });

  test('scenario: duplicate names across entries and with controllers are errors', () => {
    const err = fails(`${HEADER}topology:
  computes:
    - { name: "c{1..3}" }
    - { name: "c3" }
    - { name: "controller-1" }
`, 'IHASIM_SCENARIO_SEMANTIC');
    expect(detailAt(err, 'topology.computes[1].name').message).toContain('duplicate name `c3`');
    expect(detailAt(err, 'topology.computes[2].name').message).toContain('a controller');
  });
});
