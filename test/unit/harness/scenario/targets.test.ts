import { describe, expect, test } from 'vitest';
import type { TargetSpec } from '../../../../sim/scenario-spec.js';
import { detailAt, fails, ok, SMALL } from './helpers.js';

/** The target of a single fault written in flow style. */
function targetOf(fault: string): TargetSpec | undefined {
  return ok(`${SMALL}faults:\n  - ${fault}\n`).faults[0]?.target;
}

const targetError = (fault: string) => fails(`${SMALL}faults:\n  - ${fault}\n`, 'IHASIM_FAULT_TARGET');

describe('scenario: fault targets', () => {
  test.each([
    ['compute-2', ['compute-2'], 'compute-2'],
    ['"compute-*"', ['compute-1', 'compute-2', 'compute-3', 'compute-4'], 'compute-*'],
    ['"compute-{3..4}"', ['compute-3', 'compute-4'], 'compute-{3..4}'],
    ['[compute-4, compute-1]', ['compute-1', 'compute-4'], '[compute-4, compute-1]'],
    ['{ rack: r1 }', ['compute-1', 'compute-2'], '{rack: r1}'],
    ['{ az: az2 }', ['compute-3', 'compute-4'], '{az: az2}'],
    ['{ from: { rack: r2 } }', ['compute-3', 'compute-4'], '{from: {rack: r2}}'],
  ])('host fault target %s resolves to computes', (target, pool, text) => {
    expect(targetOf(`{ at: 1m, kind: host-power-loss, target: ${target} }`)).toEqual({ pool, text });
  });

  test('{count, from} keeps the pool and the count for the seeded pick', () => {
    expect(targetOf('{ at: 1m, kind: host-power-loss, target: { count: 2, from: { rack: r1 } } }'))
      .toEqual({ pool: ['compute-1', 'compute-2'], count: 2, text: '{count: 2, from: {rack: r1}}' });
    expect(targetOf('{ at: 1m, kind: host-hang, target: { count: 1, from: "compute-*" } }')?.count).toBe(1);
  });

  test('controller faults target controller-1..N, with globs', () => {
    expect(targetOf('{ at: 1m, kind: controller-failure, target: "controller-*" }')?.pool).toEqual(['controller-1', 'controller-2', 'controller-3']);
    expect(targetOf('{ at: 1m, kind: controller-restore, target: controller-2 }')?.pool).toEqual(['controller-2']);
  });

  test('guest faults target servers by name or glob', () => {
    expect(targetOf('{ at: 1m, kind: guest-panic, target: "web-?", recurring: true }')?.pool).toHaveLength(4);
    expect(ok(`${SMALL}faults:\n  - { at: 1m, kind: guest-panic, target: web-1, recurring: true }\n`).faults[0]?.recurring).toBe(true);
  });

  test('bmc faults target computes; bmc-slow carries its latency distribution', () => {
    const f = ok(`${SMALL}faults:\n  - { at: 1m, kind: bmc-slow, target: compute-1, latency: { uniform: [10s, 20s] }, duration: 5m }\n`).faults[0];
    expect(f).toEqual({
      atMs: 60_000, kind: 'bmc-slow', target: { pool: ['compute-1'], text: 'compute-1' },
      latencyMs: { kind: 'uniform', min: 10_000, max: 20_000 }, durationMs: 300_000,
    });
  });

  test('storage faults need no target but may cut some hosts', () => {
    expect(targetOf('{ at: 1m, kind: storage-outage, duration: 2m }')).toBeUndefined();
    expect(targetOf('{ at: 1m, kind: storage-outage, target: { rack: r2 } }')?.pool).toEqual(['compute-3', 'compute-4']);
  });

  test('network-heal takes an optional network', () => {
    const spec = ok(`${SMALL}faults:\n  - { at: 1m, kind: network-heal }\n  - { at: 2m, kind: network-heal, network: storage }\n`);
    expect(spec.faults.map((f) => f.network)).toEqual([undefined, 'storage']);
  });

  test('a host-kernel-panic keeps its kdump reboot delay', () => {
    expect(ok(`${SMALL}faults:\n  - { at: 1m, kind: host-kernel-panic, target: compute-1, kdumpReboot: 90s }\n`).faults[0]?.kdumpRebootMs).toBe(90_000);
  });

  test.each([
    ['{ at: 1m, kind: host-power-loss, target: compute-9 }', 'faults[0].target', 'no compute matches `compute-9` (did you mean `compute-1`?)'],
    ['{ at: 1m, kind: host-power-loss, target: "db-*" }', 'faults[0].target', 'no compute matches `db-*`'],
    ['{ at: 1m, kind: host-power-loss, target: [compute-1, compute-8] }', 'faults[0].target[1]', 'no compute matches `compute-8`'],
    ['{ at: 1m, kind: host-power-loss, target: { rack: r3 } }', 'faults[0].target.rack', 'no compute is in rack `r3`'],
    ['{ at: 1m, kind: host-power-loss, target: { az: az9 } }', 'faults[0].target.az', 'no compute is in zone `az9`'],
    ['{ at: 1m, kind: host-power-loss, target: { count: 3, from: { rack: r1 } } }', 'faults[0].target.count', 'count 3 is larger than the 2 compute(s)'],
    ['{ at: 1m, kind: host-power-loss, target: controller-1 }', 'faults[0].target', 'names a controller, and this fault kind takes computes'],
    ['{ at: 1m, kind: guest-hang, target: compute-1 }', 'faults[0].target', 'names a compute, and this fault kind takes servers'],
    ['{ at: 1m, kind: guest-hang, target: { rack: r9 } }', 'faults[0].target.rack', 'no compute is in rack'],
    ['{ at: 1m, kind: host-hang, target: { host: compute-1 } }', 'faults[0].target.host', 'name the compute itself'],
    ['{ at: 1m, kind: host-power-loss, target: { rack: r1, az: az1 } }', 'faults[0].target', 'give exactly one of'],
    ['{ at: 1m, kind: host-power-loss }', 'faults[0]', 'host-power-loss needs a `target`'],
    ['{ at: 1m, kind: network-partition, network: mgmt, groups: [[compute-1], [compute-2]], target: compute-1 }', 'faults[0].target', 'name the nodes in `groups`'],
  ])('%s is refused', (fault, path, words) => {
    expect(detailAt(targetError(fault), path).message).toContain(words);
  });

  test('a target error points at the line of the target', () => {
    const d = detailAt(targetError('{ at: 1m, kind: host-power-loss, target: compute-9 }'), 'faults[0].target');
    expect(d).toMatchObject({ file: 'test.yaml', line: 15 });
  });
});
