import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../support/cli-in-process.js';
import { parseScenario } from '../../../harness/scenario/index.js';
import { isIhasimError, formatError, type IhasimError } from '../../../harness/errors.js';

const scenarios = join(import.meta.dirname, '../../../scenarios');
const FILE = join(scenarios, 'host-power-loss-fast-detection-forcedown.yaml');
const text = readFileSync(FILE, 'utf8');

function errorOf(set: string[]): IhasimError {
  try {
    parseScenario(text, FILE, { set });
  } catch (err) {
    if (isIhasimError(err)) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('--set key.path=value', () => {
  it('changes booleans, durations and list items, the value read as YAML', () => {
    const spec = parseScenario(text, FILE, {
      set: ['recovery.forceDown=false', 'config.pacemaker.remoteMonitorInterval=20s', 'servers[0].storage=volume'],
    });
    expect(spec.recovery.forceDown).toBe(false);
    expect(spec.config.pacemaker.remoteMonitorIntervalMs).toBe(20_000);
    expect(spec.servers.every((s) => s.storage === 'volume')).toBe(true);
  });

  it('can add a list item (a second compute entry) and create missing maps', () => {
    const spec = parseScenario(text, FILE, {
      set: ['topology.computes[1]={name: "spare-{1..2}", rack: r3}', 'config.nova.serviceDownTime=30s'],
    });
    expect(spec.topology.computes.map((c) => c.name)).toContain('spare-2');
    expect(spec.topology.computes.find((c) => c.name === 'spare-1')!.rack).toBe('r3');
  });

  it('a later --set of the same key wins', () => {
    expect(parseScenario(text, FILE, { set: ['recovery.forceDown=false', 'recovery.forceDown=true'] }).recovery.forceDown).toBe(true);
  });

  it('an unknown key gets the schema error with a did-you-mean, pointing at the --set', () => {
    const err = errorOf(['recovery.forceDwn=false']);
    expect(err.code).toBe('IHASIM_SCENARIO_SCHEMA');
    expect(err.exitCode).toBe(3);
    expect(formatError(err)).toContain('--set recovery.forceDwn=false recovery.forceDwn: unknown key `forceDwn` (did you mean `forceDown`?)');
    expect(formatError(errorOf(['confg.x=1']))).toMatch(/confg: unknown key `confg` \(did you mean `config`\?\)/);
  });

  it('a bad value gets the same validation as in the file', () => {
    expect(formatError(errorOf(['config.pacemaker.remoteMonitorInterval=5x']))).toMatch(/remoteMonitorInterval: unknown unit `x`/);
    const semantic = errorOf(['servers[0].flavor=m1.large']);
    expect(semantic.code).toBe('IHASIM_SCENARIO_SEMANTIC');
    expect(formatError(semantic)).toMatch(/servers\[0\]\.flavor: unknown flavor `m1\.large`/);
  });

  it('a malformed --set or an index past the end is a usage error', () => {
    for (const bad of ['recovery.forceDown', 'a..b=1', '=1', 'servers[5].flavor=x', 'name.x=1']) {
      const err = errorOf([bad]);
      expect(err.code, bad).toBe('IHASIM_USAGE');
      expect(err.message).toContain(bad);
    }
  });

  it('works on run and check, exit 3 on a bad key, and the replay command carries the --set', async () => {
    const r = await cli(['run', FILE, '--set', 'recovery.forceDown=false', '--set', 'config.pacemaker.remoteMonitorInterval=10s']);
    expect(r.out).toContain(`replay: npx ihasim run ${FILE} --seed 1 --set recovery.forceDown=false --set config.pacemaker.remoteMonitorInterval=10s`);
    const bad = await cli(['run', FILE, '--set', 'recovery.forceDwn=false']);
    expect(bad.code).toBe(3);
    expect(bad.err).toMatch(/did you mean `forceDown`/);
    const check = await cli(['check', FILE, '--set', 'recovery.policy=instancha', '--runs', '1']);
    expect(check.code).toBe(3);
    expect(check.err).toMatch(/recovery\.policy: unknown value/);
  });
});
