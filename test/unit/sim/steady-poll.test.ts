/**
 * A fence agent's status poll that cannot change its answer (a dark host's BMC answering "off" through a reboot's
 * on phase) parks instead of querying every second. That must be invisible: the same trace and report as the
 * agent that sends every query, whether the poll times out or the world changes under it.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadScenario } from '../../../harness/scenario/index.js';
import { runScenario } from '../../../harness/run/run-scenario.js';
import { parkSteadyPolls } from '../../../sim/adapters/sim-fence-agent.js';
import type { ScenarioSpec } from '../../../sim/scenario-spec.js';

const root = join(import.meta.dirname, '../../..');
const SEEDS = [1, 2, 3, 4, 5];

function run(spec: ScenarioSpec, seed: number, parking: boolean): { trace: string; report: string; events: number } {
  parkSteadyPolls(parking);
  const { report, world } = runScenario(spec, { seed, trace: true });
  // Only the count of kernel events may differ: that is the point.
  const judged = JSON.stringify({ ...report, metrics: { ...report.metrics, events: 0 } });
  return { trace: world.trace.toJsonl(), report: judged, events: world.kernel.processed };
}

describe('steady status polls park', () => {
  afterEach(() => parkSteadyPolls(true));

  // Timing out (rack power loss: eight dark hosts), waking on a change (nova-api errors, a host fenced again while
  // unfencing, a host returning during its on phase), a second fencing level (PDU).
  it.each([
    'scenarios/rack-power-loss.yaml',
    'scenarios/nova-api-errors-unfence.yaml',
    'scenarios/pdu-second-level.yaml',
    'test/fixtures/refenced-during-unfence.yaml',
    'test/fixtures/done-after-cleanup.yaml',
  ])('%s: the same trace and report as querying every second, seeds 1-5', async (file) => {
    const spec = await loadScenario(join(root, file));
    for (const seed of SEEDS) {
      const parked = run(spec, seed, true);
      const polled = run(spec, seed, false);
      expect(parked.trace, `seed ${seed}`).toBe(polled.trace);
      expect(parked.report, `seed ${seed}`).toBe(polled.report);
      expect(parked.events).toBeLessThanOrEqual(polled.events);
    }
  });

  it('costs the rack power loss far fewer kernel events', async () => {
    const spec = await loadScenario(join(root, 'scenarios/rack-power-loss.yaml'));
    const parked = run(spec, 1, true);
    const polled = run(spec, 1, false);
    expect(parked.events).toBeLessThan(polled.events * 0.8);
  });
});
