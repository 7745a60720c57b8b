import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../support/cli-in-process.js';
import { isIhasimError, type IhasimError } from '../../../harness/errors.js';
import { parseScenario } from '../../../harness/scenario/index.js';
import { runScenario } from '../../../harness/run/run-scenario.js';
import { runSeeds } from '../../../harness/run/run-seeds.js';
import { ihasimVersion, scenarioHash, versionWarning } from '../../../harness/version.js';
import { renderHtml, renderJUnit, renderMarkdown, validateReport } from '../../../reports/index.js';
import type { Report, RunReport } from '../../../reports/report-types.js';

const root = join(import.meta.dirname, '../../../');
const PACKAGE_VERSION = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
const SOURCE = readFileSync(join(root, 'scenarios/host-power-loss-fast-detection-forcedown.yaml'), 'utf8');
const HASH = /^[0-9a-f]{64}$/;

const hashOf = (text: string): string => scenarioHash(parseScenario(text));

/** A provenance block as `ihasim check` writes it, from the given version. */
const provenanceBlock = (version: string): string =>
  `provenance:\n  ihasim: "${version}"\n  scenarioHash: ${'b'.repeat(64)}\n  seed: 7\n  path: "3:1:0"\n`;

function scenarioFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'ihasim-version-')), 'scenario.yaml');
  writeFileSync(file, text);
  return file;
}

describe('version: the ihasim version', () => {
  it('is package.json\'s version, as `ihasim --version` prints it', async () => {
    expect(ihasimVersion()).toBe(PACKAGE_VERSION);
    expect((await cli(['--version'])).out.trim()).toContain(ihasimVersion());
  });
});

describe('version: the scenario hash', () => {
  it('is a sha256 that comments, whitespace, key order and quoting do not change', () => {
    const reworded = SOURCE
      .replace('duration: 20m', '# a comment\nduration:    "20m"   # twenty minutes')
      .replace('{ policy: instanceha, forceDown: true, instanceFilter: evacuable }', '{ instanceFilter: evacuable, forceDown: true, policy: instanceha }');
    expect(reworded).not.toBe(SOURCE);
    expect(hashOf(SOURCE)).toMatch(HASH);
    expect(hashOf(reworded)).toBe(hashOf(SOURCE));
  });

  it('does not change with the name or description, which the simulation does not read', () => {
    expect(hashOf(SOURCE.replace(/^name: .*$/m, 'name: renamed').replace(/^description: .*$/m, 'description: other words'))).toBe(hashOf(SOURCE));
  });

  it('changes with anything the simulation reads: a fault time, a config value, a default made explicit otherwise', () => {
    const base = hashOf(SOURCE);
    expect(hashOf(SOURCE.replace('at: 2m', 'at: 3m'))).not.toBe(base);
    expect(hashOf(SOURCE.replace('remoteMonitorInterval: 5s', 'remoteMonitorInterval: 6s'))).not.toBe(base);
    expect(hashOf(SOURCE.replace('forceDown: true', 'forceDown: false'))).not.toBe(base);
    expect(hashOf(SOURCE.replace('seed: 1', 'seed: 2'))).not.toBe(base);
  });

  it('a spec built in code, without YAML, has a hash of its own data, the same for equal specs', () => {
    const spec = parseScenario(SOURCE);
    const copy = { ...spec };
    const moved = { ...spec, durationMs: spec.durationMs + 1 };
    expect(scenarioHash(copy)).toMatch(HASH);
    expect(scenarioHash({ ...spec })).toBe(scenarioHash(copy));
    expect(scenarioHash(moved)).not.toBe(scenarioHash(copy));
  });

  it('ignores the provenance block', () => {
    expect(hashOf(`${SOURCE}${provenanceBlock('0.0.1')}`)).toBe(hashOf(SOURCE));
  });
});

describe('version: every report records the version and the scenario hash', () => {
  const spec = parseScenario(SOURCE, 'power-loss.yaml');

  it('a single run, in its JSON and in the Markdown, HTML and JUnit rendered from it', () => {
    const { report } = runScenario(spec, { trace: false });
    expect(report).toMatchObject({ ihasimVersion: PACKAGE_VERSION, scenarioHash: scenarioHash(spec) });
    expect(report.warnings).toBeUndefined();
    expect(validateReport(report)).toEqual([]);
    expectRenderedProvenance(report);
  });

  it('a multi-seed run, in its JSON and its renderings', () => {
    const report = runSeeds(spec, 2);
    expect(report).toMatchObject({ ihasimVersion: PACKAGE_VERSION, scenarioHash: scenarioHash(spec) });
    expect(validateReport(report)).toEqual([]);
    expectRenderedProvenance(report);
  });

  it('the schema rejects a report without them', () => {
    const { report } = runScenario(spec, { trace: false });
    const { ihasimVersion: _v, ...noVersion } = report;
    expect(validateReport(noVersion)).toContain('(report): missing required property "ihasimVersion"');
    expect(validateReport({ ...report, scenarioHash: 'abc' }).join('\n')).toMatch(/scenarioHash/);
  });
});

function expectRenderedProvenance(report: Report): void {
  for (const text of [renderMarkdown(report), renderHtml(report), renderJUnit(report)]) {
    expect(text).toContain(PACKAGE_VERSION);
    expect(text).toContain(report.scenarioHash);
  }
}

describe('version: a scenario written by another ihasim version', () => {
  const older = `${SOURCE}${provenanceBlock('0.0.1')}`;

  it('loads, and its provenance changes nothing in the simulation', () => {
    const plain = runScenario(parseScenario(SOURCE), { trace: true });
    const marked = runScenario(parseScenario(older), { trace: true });
    expect(marked.world.trace.records).toEqual(plain.world.trace.records);
    expect(marked.report.instances).toEqual(plain.report.instances);
  });

  it('the report records its provenance and a warning naming both versions', () => {
    const { report } = runScenario(parseScenario(older, 'old.yaml'), { trace: false });
    expect(report.scenarioProvenance).toEqual({ ihasim: '0.0.1', scenarioHash: 'b'.repeat(64), seed: 7, path: '3:1:0' });
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings![0]).toContain('0.0.1');
    expect(report.warnings![0]).toContain(PACKAGE_VERSION);
    expect(validateReport(report)).toEqual([]);
    expect(renderMarkdown(report)).toContain(report.warnings![0]!);
    expect(renderJUnit(report)).toContain('scenarioWrittenBy');
  });

  it('`ihasim run` prints one warning line on stderr, not an error: the run passes and its report says so', async () => {
    const file = scenarioFile(older);
    const reportPath = join(mkdtempSync(join(tmpdir(), 'ihasim-version-')), 'r.json');
    const r = await cli(['run', file, '--quiet', '--report', reportPath]);
    expect(r.code).toBe(0);
    const lines = r.err.split('\n').filter((l) => l !== '');
    expect(lines).toEqual([`warning: ${file} was written by ihasim 0.0.1, this is ihasim ${PACKAGE_VERSION}: the run may differ from the one it recorded`]);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as RunReport;
    expect(report.warnings).toEqual(lines);
  });

  it('`ihasim run --seeds N` warns once, and the multi-seed report records it', async () => {
    const r = await cli(['run', scenarioFile(older), '--seeds', '2', '--json']);
    expect(r.code).toBe(0);
    expect(r.err.match(/warning: /g)).toHaveLength(1);
    expect((JSON.parse(r.out) as Report).warnings).toHaveLength(1);
  });

  it('no warning when the versions agree, or the scenario has no provenance', async () => {
    expect(versionWarning(parseScenario(`${SOURCE}${provenanceBlock(PACKAGE_VERSION)}`))).toBeNull();
    expect(versionWarning(parseScenario(SOURCE))).toBeNull();
    const r = await cli(['run', scenarioFile(`${SOURCE}${provenanceBlock(PACKAGE_VERSION)}`), '--quiet']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
  });

  it('a malformed provenance block is a schema error naming the key', () => {
    let error: unknown;
    try {
      parseScenario(`${SOURCE}provenance:\n  ihasim: "0.1.0"\n  scenarioHash: nothex\n  seed: 1\n  path: "1"\n`);
    } catch (err) {
      error = err;
    }
    expect(isIhasimError(error) && error.code).toBe('IHASIM_SCENARIO_SCHEMA');
    expect((error as IhasimError).details.map((d) => d.path).join(' ')).toMatch(/provenance.scenarioHash/);
  });
});
