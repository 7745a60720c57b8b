import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../harness/scenario/index.js';
import { runScenario } from '../../harness/run/run-scenario.js';
import { SafetyChecker } from '../../harness/checkers/safety.js';
import { INVARIANT_LIST } from '../../harness/checkers/invariant-list.js';
import { buildWorld } from '../../sim/build-world.js';

const playground = readFileSync(join(import.meta.dirname, '../../scenarios/check-6-computes.yaml'), 'utf8');
const withFaults = (...faults: string[]): string =>
  playground.replace('  - { at: 2m, kind: host-power-loss, target: compute-2, duration: 6m }', faults.join('\n'));
const sec = (ms: number): string => `${ms / 1000}s`;

describe('a controller acts only while it truly belongs to a quorate cluster', () => {
  it('a DC that fails just before it would detect a dead host never fences it in its own name', () => {
    const loss = '  - { at: 1m, kind: host-power-loss, target: compute-2 }';
    const calm = runScenario(parseScenario(withFaults(loss)), { trace: true });
    const detected = calm.world.trace.records.find((r) => r.type === 'pacemaker.node.unclean' && r.entity === 'compute-2')!;
    const dc = calm.world.trace.records.find((r) => r.type === 'pacemaker.fence.start')!.dc as string;
    const failAt = detected.t - 2_000;
    const { report, world } = runScenario(parseScenario(withFaults(loss, `  - { at: ${sec(failAt)}, kind: controller-failure, target: ${dc} }`)), { trace: true });
    const byDeadDc = world.trace.records.filter((r) => r.type === 'pacemaker.fence.start' && r.t >= failAt && (r.dc as string) === dc);
    expect(byDeadDc, `${dc} failed at ${failAt} ms`).toEqual([]);
    expect(report.violations.filter((v) => v.invariant === 'quorum-respected')).toEqual([]);
    // The survivors take over once corosync agrees on the new membership, and compute-2 is fenced by one of them.
    const fenced = world.trace.records.find((r) => r.type === 'pacemaker.fence.start' && r.entity === 'compute-2')!;
    expect(fenced.dc).not.toBe(dc);
  });

  it('quorum-respected is judged on the truth: down at once, minority after corosync could have noticed', () => {
    const spec = parseScenario(withFaults(
      '  - { at: 1m, kind: network-partition, network: mgmt, groups: [[controller-1], [controller-2, controller-3, "compute-*"]] }',
      '  - { at: 1m, kind: controller-failure, target: controller-3 }',
    ));
    const checker = new SafetyChecker(new Set(INVARIANT_LIST));
    const world = buildWorld(spec, { seed: 1, probe: checker });
    checker.attach(world);
    world.kernel.run(60_000 + 1_000);
    const lag = Math.round(world.config.pacemaker.tokenTimeoutMs * 2.2);
    checker.recoveryAction('fence', 'compute-1', 'controller-2', world.kernel.now);
    checker.recoveryAction('fence', 'compute-1', 'controller-1', world.kernel.now);
    expect(checker.violations).toEqual([]);
    checker.recoveryAction('evacuate', 'ha-01', 'controller-3', world.kernel.now);
    expect(checker.violations.map((v) => v.message)).toEqual(['controller-3 initiated evacuate of ha-01 after it had failed']);
    world.kernel.run(60_000 + lag + 1_000);
    checker.recoveryAction('fence', 'compute-4', 'controller-1', world.kernel.now);
    expect(checker.violations.at(-1)!.message).toBe(`controller-1 initiated fence of compute-4 ${(lag + 1_000) / 1000}s after its partition lost quorum`);
  });
});
