import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../harness/scenario/index.js';
import { runScenario } from '../../harness/run/run-scenario.js';

const dir = join(import.meta.dirname, '../../scenarios');
const run = async (name: string) => runScenario(await loadScenario(join(dir, `${name}.yaml`))).report;

describe('the run report says what an operator still has to do, and how many Nova calls recovery made', () => {
  it('a rack loss that recovers fully leaves nothing to do; recovery talked to Nova', async () => {
    const report = await run('rack-power-loss');
    expect(report.operatorActions).toEqual([]);
    expect(report.metrics.hostsLeftDisabled).toBe(0);
    expect(report.metrics.novaApiCalls).toBeGreaterThan(report.metrics.evacuations);
  });

  it("TripleO's unfence order leaves the returned host forced down: force it up by hand", async () => {
    const report = await run('tripleo-unfence-order');
    expect(report.metrics.hostsLeftDisabled).toBe(1);
    expect(report.operatorActions).toEqual(['compute-01: force nova-compute up (left forced down)']);
    expect(report.metrics.operatorActions).toBe(1);
  });

  it('a notify-only design leaves every affected instance down: each is listed', async () => {
    const report = await run('notify-policy');
    const down = report.instances.filter((o) => o.outcome === 'not-recovered' && o.reason !== 'not-opted-in');
    expect(down.length).toBeGreaterThan(0);
    for (const o of down) expect(report.operatorActions).toContain(`${o.name}: not running (${o.reason}): evacuate or start it by hand`);
    expect(report.metrics.novaApiCalls).toBeGreaterThan(0);
  });

  it('Masakari leaves the failed host on maintenance: clearing it is on the list', async () => {
    const report = await run('masakari-host-power-loss');
    expect(report.operatorActions.some((a) => /on_maintenance False/.test(a))).toBe(true);
  });
});
