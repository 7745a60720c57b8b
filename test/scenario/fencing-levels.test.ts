import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../harness/scenario/index.js';
import { runScenario } from '../../harness/run/run-scenario.js';

const file = join(import.meta.dirname, '../../scenarios/pdu-second-level.yaml');
const run = async (set: string[] = []) => runScenario(await loadScenario(file, { set }), { trace: true });

describe('fencing topology: a second level (rack PDU + fence-nova) when the BMC level fails (fenced_remote.c advance_topology_level)', () => {
  it('a hung host with a broken BMC is fenced by its PDU outlets and its instances evacuated', async () => {
    const { report, world } = await run();
    expect(report.failures, report.replay).toEqual([]);
    const events = world.trace.records.filter((r) => r.entity === 'compute-2');
    expect(events.some((r) => r.type === 'pacemaker.fence.level-failed' && r.level === 'bmc')).toBe(true);
    expect(events.some((r) => r.type === 'fence.power-off-confirmed' && r.via === 'pdu')).toBe(true);
    expect(report.instances.filter((o) => o.fromHost === 'compute-2').every((o) => o.outcome === 'recovered')).toBe(true);
  });

  it('with one level (secondLevel: none) nothing can fence it: fencing-impossible, nothing evacuated', async () => {
    const { report } = await run(['config.fencing.secondLevel=none']);
    const lost = report.instances.filter((o) => o.fromHost === 'compute-2');
    expect(lost.length).toBeGreaterThan(0);
    expect(lost.every((o) => o.reason === 'fencing-impossible')).toBe(true);
    expect(report.metrics.evacuations).toBe(0);
  });

  it('a PDU shares its rack\'s power: a rack power loss with BMCs on the host feed cannot be fenced by either level', async () => {
    const { report, world } = await run([
      'faults=[{ at: 1m, kind: host-power-loss, target: { rack: r1 }, bmcSharesPower: true }]',
      'expect.allowedReasons=[fencing-impossible]',
    ]);
    expect(world.trace.records.some((r) => r.type === 'fence.power-off-confirmed')).toBe(false);
    expect(report.instances.filter((o) => o.outcome === 'not-recovered').every((o) => o.reason === 'fencing-impossible')).toBe(true);
    expect(report.exitCode).toBe(0);
  });
});
