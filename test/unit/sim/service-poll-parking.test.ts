/**
 * fence_compute without force-down polls Nova's services every second until the host reads down and disabled, for
 * the whole of Pacemaker's action timeout, at every fencing attempt. While the service is enabled that answer cannot
 * come, and the poll parks instead of calling. That must be invisible: the same trace and report as calling every
 * second, whether the poll times out, an API fault starts or ends under it, or someone disables the service.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadScenario, parseScenario } from '../../../harness/scenario/index.js';
import { judgeRun, runScenario } from '../../../harness/run/run-scenario.js';
import { SimHistory } from '../../../harness/history/sim/sim-history.js';
import { judgedInvariants } from '../../../harness/run/run-scenario.js';
import { buildWorld } from '../../../sim/build-world.js';
import { parkServicePolls } from '../../../sim/adapters/nova-service-poll.js';
import type { ScenarioSpec } from '../../../sim/scenario-spec.js';

const root = join(import.meta.dirname, '../../..');
const SEEDS = [1, 2, 3, 4, 5];
const noForceDown = ['recovery.forceDown=false'];

interface Outcome { trace: string; report: string; events: number; apiCalls: number }
type RunWorld = { trace: { toJsonl(): string }; kernel: { processed: number }; novaApiCalls(): number };

function outcome(report: object, world: RunWorld): Outcome {
  // Only the count of kernel events may differ: that is the point.
  const r = report as { metrics: object };
  return { trace: world.trace.toJsonl(), report: JSON.stringify({ ...r, metrics: { ...r.metrics, events: 0 } }), events: world.kernel.processed, apiCalls: world.novaApiCalls() };
}

function run(spec: ScenarioSpec, seed: number, parking: boolean): Outcome {
  parkServicePolls(parking);
  const { report, world } = runScenario(spec, { seed, trace: true });
  return outcome(report, world);
}

/** As `ihasim serve`'s API would: the world runs to `atMs`, compute-01 is disabled by hand, the world runs on. */
function runDisablingAt(spec: ScenarioSpec, seed: number, atMs: number, parking: boolean): Outcome {
  parkServicePolls(parking);
  const judged = judgedInvariants(spec);
  const history = new SimHistory(judged, { record: false, seed });
  const world = buildWorld(spec, { seed, trace: true, probe: history, defects: [] });
  history.attach(world);
  world.kernel.run(atMs);
  world.nova.disable('compute-01', 'nova-compute', 'operator');
  world.kernel.run(spec.durationMs);
  return outcome(judgeRun(world, history, { seed, judged }), world);
}

function expectSame(parked: Outcome, polled: Outcome, what: string): void {
  expect(parked.trace, what).toBe(polled.trace);
  expect(parked.report, what).toBe(polled.report);
  expect(parked.apiCalls, what).toBe(polled.apiCalls);
  expect(parked.events, what).toBeLessThanOrEqual(polled.events);
}

const apiFaults = `ihasim: 1
name: service-poll-api-faults
duration: 20m
topology:
  controllers: 3
  computes:
    - { name: "compute-{01..04}", vcpus: 8, ramMb: 16384, diskGb: 400 }
flavors:
  m1.small: { vcpus: 1, ramMb: 2048, diskGb: 20 }
images:
  cirros: { properties: {} }
servers:
  - { name: "vm-{1..8}", flavor: m1.small, image: cirros, storage: shared }
recovery: { policy: instanceha, forceDown: false }
faults:
  - { at: 1m, kind: host-power-loss, target: compute-01 }
  - { at: 2m10s, kind: nova-api-errors, rate: 0.3, duration: 40s }
  - { at: 4m, kind: nova-api-slow, latency: 3s, duration: 30s }
  - { at: 5m30s, kind: keystone-token-expired }
expect:
  invariants: all
`;

describe('fence_compute status polls without force-down park', () => {
  afterEach(() => parkServicePolls(true));

  it.each(['scenarios/rack-power-loss.yaml', 'scenarios/nova-api-errors-unfence.yaml', 'scenarios/compare/host-power-loss.yaml'])(
    '%s without force-down: the same trace, report and API calls as calling every second, seeds 1-5', async (file) => {
      const spec = await loadScenario(join(root, file), { set: noForceDown });
      for (const seed of SEEDS) expectSame(run(spec, seed, true), run(spec, seed, false), `seed ${seed}`);
    });

  it('is the same when API errors, slowness and an expired token start and end under it, seeds 1-5', () => {
    const spec = parseScenario(apiFaults, 'service-poll-api-faults.yaml');
    for (const seed of SEEDS) expectSame(run(spec, seed, true), run(spec, seed, false), `seed ${seed}`);
  });

  it('is the same when the service is disabled by hand while it polls: fencing then succeeds', () => {
    const spec = parseScenario(apiFaults, 'service-poll-api-faults.yaml');
    for (const atMs of [100_000, 113_500, 150_001, 400_000]) {
      const parked = runDisablingAt(spec, 1, atMs, true);
      expectSame(parked, runDisablingAt(spec, 1, atMs, false), `disabled at ${atMs} ms`);
      // Disabled while polling, the poll reads `off`; disabled between attempts, the next one finds it already off.
      expect(parked.trace, `disabled at ${atMs} ms`).toMatch(/"type":"fence-nova\.(done|already-off)","entity":"compute-01"/);
    }
  });

  it('costs a rack power loss without force-down a small fraction of the kernel events', async () => {
    const spec = await loadScenario(join(root, 'scenarios/rack-power-loss.yaml'), { set: noForceDown });
    const parked = run(spec, 1, true);
    const polled = run(spec, 1, false);
    expect(parked.events).toBeLessThan(polled.events * 0.2);
  });
});
