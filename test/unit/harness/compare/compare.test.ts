import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../../support/cli-in-process.js';
import { designPoints, parseDesigns, parseKnob } from '../../../../harness/compare/design-points.js';
import { recoveryKeysOf } from '../../../../harness/compare/design-schema.js';
import type { CompareResult } from '../../../../harness/compare/compare-result.js';

const scenario = join(import.meta.dirname, '../../../../scenarios/mgmt-partition-fenced.yaml');

describe('ihasim compare: one scenario, every design on the same seeds', () => {
  it('runs each design on the same seeds and reports them side by side (JSON, Markdown, terminal)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ihasim-compare-'));
    const json = join(dir, 'c.json');
    const md = join(dir, 'c.md');
    const r = await cli(['compare', scenario, '--designs', 'instanceha,no-fence', '--seeds', '6', '--jobs', '1', '--json', json, '--markdown', md]);
    expect(r.code).toBe(0);
    const result = JSON.parse(await readFile(json, 'utf8')) as CompareResult;
    expect(result.kind).toBe('compare');
    expect(result.designs.map((d) => d.design)).toEqual(['instanceha', 'no-fence']);
    expect(result.designs.every((d) => d.summary.runs === 6)).toBe(true);
    // The unsafe baseline is caught; Pacemaker instance HA is not.
    expect(result.designs[1]!.safetyViolations['no-double-run'] ?? 0).toBeGreaterThan(0);
    expect(result.designs[0]!.safetyViolations).toEqual({});
    expect(result.designs[0]!.summary.endState.novaApiCalls).toBeGreaterThan(0);
    expect(r.out).toContain('instanceha\n  p50 [95% CI]');
    expect(await readFile(md, 'utf8')).toMatch(/\| no-fence \| .* \|/);
  });

  it('gives the same bytes with one worker thread or two', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ihasim-compare-'));
    const args = ['compare', scenario, '--designs', 'instanceha,notify', '--seeds', '8', '--quiet'];
    await cli([...args, '--jobs', '1', '--json', join(dir, 'one.json')]);
    await cli([...args, '--jobs', '2', '--json', join(dir, 'two.json')]);
    expect(await readFile(join(dir, 'two.json'), 'utf8')).toBe(await readFile(join(dir, 'one.json'), 'utf8'));
  });

  it('refuses an unknown design, a repeated one and a knob of a design not compared (exit 3)', async () => {
    expect(() => parseDesigns('instanceha,masakary-x')).toThrow(/unknown design 'masakary-x'; the designs are .*instanceha/);
    expect(() => parseDesigns('notify,notify')).toThrow(/names notify twice/);
    expect(() => parseKnob('none.x=1', ['instanceha'])).toThrow(/--knob DESIGN.key=value/);
    const r = await cli(['compare', scenario, '--designs', 'instanceha,bogus', '--seeds', '2']);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/unknown design 'bogus'/);
  });

  it("keeps the scenario's own recovery block for its design and gives a knob to one design only", async () => {
    const points = await designPoints(scenario, [], ['instanceha', 'no-fence'], [parseKnob('instanceha.forceDown=false', ['instanceha', 'no-fence'])]);
    expect(points[0]!.recovery).toMatchObject({ policy: 'instanceha', forceDown: false });
    expect(points[1]!.recovery.policy).toBe('no-fence');
    // The other design gets the scenario's keys only where its own schema has them.
    expect('forceDown' in points[1]!.recovery).toBe(recoveryKeysOf('no-fence').has('forceDown'));
  });

  it('several scenarios: each compared, then a matrix of scenario × design (Markdown and JSON)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ihasim-compare-'));
    const other = join(import.meta.dirname, '../../../../scenarios/compare/host-power-loss.yaml');
    const r = await cli(['compare', other, scenario, '--designs', 'instanceha,no-fence', '--seeds', '4', '--jobs', '1', '--quiet',
      '--markdown', join(dir, 'm.md'), '--json', join(dir, 'm.json')]);
    expect(r.code).toBe(0);
    const md = await readFile(join(dir, 'm.md'), 'utf8');
    expect(md).toContain('| scenario | instanceha | no-fence |');
    expect(md).toMatch(/\| mgmt-partition-fenced \| .* \| .*UNSAFE .*no-double-run.* in 4\/4 \|/);
    const json = JSON.parse(await readFile(join(dir, 'm.json'), 'utf8')) as { kind: string; results: CompareResult[] };
    expect(json.kind).toBe('compare-matrix');
    expect(json.results.map((x) => x.scenario)).toEqual(['compare-host-power-loss', 'mgmt-partition-fenced']);
  });

  it('refuses --html for several scenarios (exit 3)', async () => {
    const other = join(import.meta.dirname, '../../../../scenarios/compare/host-power-loss.yaml');
    const r = await cli(['compare', other, scenario, '--designs', 'instanceha', '--seeds', '2', '--html', join(tmpdir(), 'x.html')]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/--html draws one scenario/);
  });
});
