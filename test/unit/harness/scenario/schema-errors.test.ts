import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatError } from '../../../../harness/errors.js';
import { loadScenario, validateScenarioFile } from '../../../../harness/scenario/index.js';
import { HEADER, detailAt, fails } from './helpers.js';

describe('scenario: schema errors', () => {
  test('unknown key gets did-you-mean with file and line', () => {
    const err = fails(`${HEADER}sevrers: []\n`, 'IHASIM_SCENARIO_SCHEMA');
    const d = detailAt(err, 'sevrers');
    expect(d).toMatchObject({ file: 'test.yaml', line: 4, column: 1 });
    expect(d.message).toBe('unknown key `sevrers` (did you mean `servers`?)');
  });

  test('unknown key without a close match lists the allowed keys', () => {
    const d = detailAt(fails(`${HEADER}recovery: { zzz: 1 }\n`, 'IHASIM_SCENARIO_SCHEMA'), 'recovery.zzz');
    expect(d.expected).toContain('policy, forceDown');
    expect(d.found).toBe('`zzz`');
  });

  test('a TS-style config key ending in Ms is pointed at its YAML name', () => {
    const d = detailAt(fails(`${HEADER}config: { nova: { reportIntervalMs: 10000 } }\n`, 'IHASIM_SCENARIO_SCHEMA'), 'config.nova.reportIntervalMs');
    expect(d.message).toContain('did you mean `reportInterval`');
    expect(d.hint).toContain('drop the `Ms` suffix');
  });

  test('a bad duration says what was expected and what was found', () => {
    const d = detailAt(fails('ihasim: 1\nname: t\nduration: twenty\n', 'IHASIM_SCENARIO_SCHEMA'), 'duration');
    expect(d.expected).toContain('a duration like `500ms`, `20s`');
    expect(d.found).toBe('`twenty`');
    expect(d).toMatchObject({ line: 3, column: 11 });
  });

  test('a negative integer duration is refused as negative', () => {
    expect(detailAt(fails('ihasim: 1\nname: t\nduration: -5\n', 'IHASIM_SCENARIO_SCHEMA'), 'duration').message).toContain('negative');
  });

  test('an unknown enum value lists the allowed ones and suggests the closest', () => {
    const d = detailAt(fails(`${HEADER}recovery: { policy: instancha }\n`, 'IHASIM_SCENARIO_SCHEMA'), 'recovery.policy');
    expect(d.message).toContain('did you mean `instanceha`');
    expect(d.expected).toBe('one of instanceha, notify, no-fence, none, external, rhoso-instanceha');
  });

  test('wrong types are named in words', () => {
    const err = fails(`${HEADER}seed: abc\ntopology: { controllers: [1] }\nrecovery: { forceDown: maybe }\n`, 'IHASIM_SCENARIO_SCHEMA');
    expect(detailAt(err, 'seed').expected).toBe('an integer');
    expect(detailAt(err, 'topology.controllers').found).toBe('a list');
    expect(detailAt(err, 'recovery.forceDown').expected).toBe('`true` or `false`');
  });

  test('missing required keys and the wrong version are reported together', () => {
    const err = fails('ihasim: 2\n', 'IHASIM_SCENARIO_SCHEMA');
    expect(err.details.map((d) => d.message)).toEqual(
      expect.arrayContaining(['missing key `name`', 'missing key `duration`', 'unsupported value']));
  });

  test('collects every error in one throw, sorted by line', () => {
    const err = fails(`${HEADER}seed: x\nflavors: { m1: { vcpus: -1, ramMB: 2 } }\nfaults: [{ at: 5q, kind: host-power-loss }]\n`, 'IHASIM_SCENARIO_SCHEMA');
    expect(err.details.length).toBeGreaterThanOrEqual(4);
    const lines = err.details.map((d) => d.line ?? 0);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(formatError(err)).toContain('test.yaml:6');
  });

  test('an invalid instanceFilter names the accepted forms', () => {
    const d = detailAt(fails(`${HEADER}recovery: { instanceFilter: tags }\n`, 'IHASIM_SCENARIO_SCHEMA'), 'recovery.instanceFilter');
    expect(d.expected).toContain('`tag:<name>`');
  });

  test('a map name that is not a name is refused at its key', () => {
    const d = detailAt(fails(`${HEADER}flavors: { "__proto__": {} }\n`, 'IHASIM_SCENARIO_SCHEMA'), 'flavors.__proto__');
    expect(d.message).toContain('invalid name');
  });

  test('the document must be a map', () => {
    fails('- 1\n- 2\n', 'IHASIM_SCENARIO_SCHEMA');
    fails('', 'IHASIM_SCENARIO_SCHEMA');
  });
});

describe('scenario: YAML and file errors', () => {
  test('invalid YAML names line and column', () => {
    const err = fails(`${HEADER}topology: { computes: [\n`, 'IHASIM_SCENARIO_YAML');
    expect(err.details[0]).toMatchObject({ file: 'test.yaml' });
    expect(err.details[0]?.line).toBeGreaterThanOrEqual(4);
  });

  test('duplicate keys are a YAML error', () => {
    expect(fails(`${HEADER}seed: 1\nseed: 2\n`, 'IHASIM_SCENARIO_YAML').details[0]?.line).toBe(5);
  });

  test('an alias bomb is refused as YAML, not a crash', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`);
    fails(bomb.join('\n'), 'IHASIM_SCENARIO_YAML');
  });

  test('loadScenario: a missing file is IHASIM_SCENARIO_READ', async () => {
    await expect(loadScenario('/nonexistent/x.yaml')).rejects.toMatchObject({ code: 'IHASIM_SCENARIO_READ' });
  });

  test('validateScenarioFile returns the error instead of throwing, and the spec keeps its file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ihasim-'));
    const bad = join(dir, 'bad.yaml');
    const good = join(dir, 'good.yaml');
    await writeFile(bad, `${HEADER}sevrers: []\n`);
    await writeFile(good, HEADER);
    const r1 = await validateScenarioFile(bad);
    expect(r1.ok).toBe(false);
    if (!r1.ok) expect(r1.error.details[0]?.file).toBe(bad);
    const r2 = await validateScenarioFile(good);
    expect(r2.ok && r2.spec.file).toBe(good);
  });
});
