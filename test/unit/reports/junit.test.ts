import { describe, expect, test } from 'vitest';
import { INVARIANTS } from '../../../reports/invariants.js';
import { renderJUnit } from '../../../reports/junit.js';
import { expectingRun, failingRun, multiReport, NASTY, nastyRun, passingRun } from '../../support/sample-report.js';
import { findAll, parseXml, type XmlElement } from './xml-check.js';

const cases = (root: XmlElement): XmlElement[] => findAll(root, 'testcase');
const failures = (root: XmlElement): XmlElement[] => findAll(root, 'failure');
const caseNamed = (root: XmlElement, name: string): XmlElement | undefined => cases(root).find((c) => c.attrs.name === name);
const props = (suite: XmlElement): Record<string, string> =>
  Object.fromEntries(findAll(suite, 'property').map((p) => [p.attrs.name, p.attrs.value]));

describe('reports: JUnit', () => {
  test('a passing run is one suite with one passing test case per invariant', () => {
    const root = parseXml(renderJUnit(passingRun(42)));
    expect(root.name).toBe('testsuites');
    const [suite] = findAll(root, 'testsuite');
    // time: the simulated seconds judged (62 minutes), not 0.
    expect(suite?.attrs).toMatchObject({ name: 'power-loss seed=42', tests: '9', failures: '0', time: '3720' });
    expect(root.attrs.time).toBe('3720');
    expect(cases(root).map((c) => c.attrs.name)).toEqual(INVARIANTS.map((i) => i.name));
    expect(cases(root).every((c) => c.attrs.classname === 'ihasim.power-loss' && c.attrs.time === '3720')).toBe(true);
    expect(failures(root)).toHaveLength(0);
  });

  test('a violated invariant has exactly one failure listing every violation and the replay command', () => {
    const root = parseXml(renderJUnit(failingRun(7)));
    expect(failures(root)).toHaveLength(2);
    const failure = caseNamed(root, 'no-double-run')?.children.find((c) => c.name === 'failure');
    expect(failure?.attrs.type).toBe('no-double-run');
    expect(failure?.attrs.message).toBe('2 violations of no-double-run; first at 10m12s: vm-01 executes on two hosts');
    expect(failure?.text).toContain('10m12s no-double-run [vm-01, compute-01, compute-02] vm-01 executes on two hosts');
    expect(failure?.text).toContain('11m00s no-double-run [vm-04, compute-01, compute-02] vm-04 executes on two hosts');
    expect(failure?.text).toContain('replay: ihasim run scenarios/power-loss.yaml --seed 7');
    expect(caseNamed(root, 'fence-before-evacuate')?.children[0]?.name).toBe('failure');
    expect(findAll(root, 'testsuites')[0]?.attrs).toMatchObject({ tests: '9', failures: '2' });
  });

  test('the wall-clock time, when given, is a property', () => {
    const root = parseXml(renderJUnit(passingRun(), { wallMs: 1234.4 }));
    expect(props(findAll(root, 'testsuite')[0] as XmlElement).wallTimeMs).toBe('1234');
    expect(props(findAll(parseXml(renderJUnit(passingRun())), 'testsuite')[0] as XmlElement).wallTimeMs).toBeUndefined();
  });

  test('simulated figures and the run identity go to properties', () => {
    const root = parseXml(renderJUnit(failingRun(7)));
    const [suite] = findAll(root, 'testsuite');
    expect(props(suite as XmlElement)).toMatchObject({
      seed: '7', policy: 'no-fence', scenario: 'power-loss', file: 'scenarios/power-loss.yaml',
      durationMs: '3720000', duration: '1h02m', 'recovery.p50Ms': '90250', 'recovery.p95Ms': '90250',
      'recovery.maxMs': '90250', replay: 'ihasim run scenarios/power-loss.yaml --seed 7',
    });
  });

  test('expected violations are their own test cases and do not fail the invariant', () => {
    const root = parseXml(renderJUnit(expectingRun()));
    expect(caseNamed(root, 'expected:fence-before-evacuate')?.children).toEqual([]);
    const missing = caseNamed(root, 'expected:no-double-run')?.children[0];
    expect(missing?.attrs.message).toBe('expected a violation of no-double-run, none was found');
    const seen = caseNamed(root, 'fence-before-evacuate');
    expect(seen?.children.map((c) => c.name)).toEqual(['system-out']);
    expect(seen?.children[0]?.text).toContain('evacuated before fence');
    expect(failures(root)).toHaveLength(1);
  });

  test('a violation of an invariant ihasim does not list still gets its own failing test case', () => {
    const run = failingRun();
    run.violations.push({ invariant: 'custom-check', kind: 'safety', atMs: 0, entities: [], message: 'boom' });
    const root = parseXml(renderJUnit(run));
    expect(caseNamed(root, 'custom-check')?.children[0]?.attrs.type).toBe('custom-check');
  });

  test('a failing verdict no test case explains fails a verdict test case', () => {
    const run = passingRun();
    run.verdict = 'fail';
    run.exitCode = 2;
    run.failures = ['vm-01 took 9m, bound 5m'];
    const root = parseXml(renderJUnit(run));
    expect(caseNamed(root, 'verdict')?.children[0]?.attrs.message).toBe('vm-01 took 9m, bound 5m');
  });

  test('a multi report is one suite: a case for all seeds and one per failed run, with simulated times', () => {
    const root = parseXml(renderJUnit(multiReport()));
    const suites = findAll(root, 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual(['power-loss seeds=1..3']);
    expect(cases(root).map((c) => [c.attrs.name, c.attrs.time])).toEqual([['seeds 1..3', '11160'], ['seed=2', '3720']]);
    expect(caseNamed(root, 'seeds 1..3')?.children[0]?.attrs.message).toBe('1 of 3 runs failed');
    expect(caseNamed(root, 'seed=2')?.children[0]?.text).toContain('replay: ihasim run scenarios/power-loss.yaml --seed 2');
    expect(root.attrs).toMatchObject({ tests: '2', failures: '2', errors: '0', time: '11160' });
  });

  test('hostile strings stay well-formed XML and survive escaping', () => {
    const xml = renderJUnit(nastyRun());
    const root = parseXml(xml);
    expect(xml).not.toContain('<script>');
    const [suite] = findAll(root, 'testsuite');
    expect(suite?.attrs.name).toContain('<script>alert("x")</script> & \'q\' ]]>');
    expect(props(suite as XmlElement).policy).toContain('\ufffd');
    const failure = failures(root)[0];
    expect(failure?.text).toContain('message\nsecond line');
    expect(NASTY).toContain('\u0000');
  });
});

describe('reports: the test XML checker rejects malformed XML', () => {
  test.each([
    ['unclosed tag', '<a><b></a>'],
    ['bare ampersand', '<a>x & y</a>'],
    ['less-than in attribute', '<a b="<"/>'],
    ['forbidden control character', '<a>\u0001</a>'],
    ['two roots', '<a/><b/>'],
    ['duplicate attribute', '<a b="1" b="2"/>'],
    ['unknown entity', '<a>&nbsp;</a>'],
  ])('%s', (_name, xml) => {
    expect(() => parseXml(xml)).toThrow(/not well-formed/);
  });
});
