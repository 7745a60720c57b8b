import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../support/cli-in-process.js';
import { ERROR_CODES } from '../../../harness/errors.js';
import { validateReport } from '../../../reports/index.js';

const scenarios = join(import.meta.dirname, '../../../scenarios');


describe('cli: exit codes and errors', () => {
  it('a passing scenario exits 0 and prints the verdict', async () => {
    const r = await cli(['run', join(scenarios, 'host-hang-fenced.yaml')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/verdict: PASS/);
    expect(r.out).toMatch(/critical path/);
  });

  it('a safety violation exits 1 and prints the replay command', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ihasim-'));
    const file = join(dir, 'unsafe.yaml');
    const text = readFileSync(join(scenarios, 'mgmt-partition-no-fence.yaml'), 'utf8').replace(/violations: \[.*\]/, 'violations: []');
    writeFileSync(file, text);
    const r = await cli(['run', file, '--seed', '4']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/VIOLATION no-double-run/);
    expect(r.out).toContain(`replay: npx ihasim run ${file} --seed 4`);
  });

  it('writes a JSON report that validates against the schema, and JUnit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ihasim-'));
    const r = await cli(['run', join(scenarios, 'fencing-impossible.yaml'), '--quiet', '--report', join(dir, 'r.json'), '--junit', join(dir, 'j.xml')]);
    expect(r.code).toBe(0);
    expect(validateReport(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')))).toEqual([]);
    expect(readFileSync(join(dir, 'j.xml'), 'utf8')).toMatch(/<testsuites/);
  });

  it('--seeds aggregates and the multi-run report validates', async () => {
    const r = await cli(['run', join(scenarios, 'host-power-loss-fast-detection-forcedown.yaml'), '--seeds', '5', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.kind).toBe('multi');
    expect(report.seeds).toEqual({ first: 1, last: 5, count: 5 });
    expect(validateReport(report)).toEqual([]);
  });

  it('bad input exits 3 with a clear message and no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ihasim-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'ihasim: 1\nname: x\nduration: twenty\nsevrers: []\n');
    const r = await cli(['run', file]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/bad.yaml:3/);
    expect(r.err).toMatch(/did you mean `servers`/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('unknown commands, flags and flag values exit 3', async () => {
    expect((await cli(['rn'])).code).toBe(3);
    expect((await cli(['run', join(scenarios, 'host-hang-fenced.yaml'), '--sed', '1'])).code).toBe(3);
    expect((await cli(['run', join(scenarios, 'host-hang-fenced.yaml'), '--seed', 'abc'])).code).toBe(3);
    expect((await cli(['run', '/no/such/file.yaml'])).code).toBe(3);
  });

  it('check --faults narrows the fault space, names an unknown kind, and keeps the flag in the replay line', async () => {
    const playground = join(scenarios, 'check-6-computes.yaml');
    const bad = await cli(['check', playground, '--faults', 'host-powerloss']);
    expect(bad.code).toBe(3);
    expect(bad.err).toMatch(/unknown fault kind 'host-powerloss' in --faults \(did you mean 'host-power-loss'\?\)/);
    const out = join(mkdtempSync(join(tmpdir(), 'ihasim-')), 'cx.yaml');
    const r = await cli(['check', playground, '--faults', 'host-power-loss', '--defect', 'evacuate-without-fencing', '--runs', '200', '--seed', '3', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/HostPowerLoss/);
    expect(r.out).not.toMatch(/(HostReboot|NetworkPartition|ControllerFailure)\(/);
    expect(r.out).toMatch(/replay: +npx ihasim check .* --faults host-power-loss --defect evacuate-without-fencing/);
  });

  it('validate explains every scenario in the library as ok', async () => {
    const r = await cli(['validate', join(scenarios, 'rack-power-loss.yaml'), join(scenarios, 'notify-policy.yaml')]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')).toHaveLength(2);
  });
});

describe('error registry', () => {
  it('every code is documented in the README with its exit code', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');
    for (const [code, info] of Object.entries(ERROR_CODES)) expect(readme).toContain(`| ${code} | ${info.exit} |`);
  });
});
