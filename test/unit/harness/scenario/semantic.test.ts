import { describe, expect, test } from 'vitest';
import { HEADER, SMALL, detailAt, fails, ok } from './helpers.js';

const server = (extra: string) => `${SMALL}  - { name: x, flavor: small, image: cirros, ${extra} }\n`;
const fault = (f: string) => `${SMALL}faults:\n  - ${f}\n`;

describe('scenario: semantic checks', () => {
  test.each([
    ['flavor: big', 'servers[1].flavor', 'unknown flavor `big`'],
    ['image: cirrus', 'servers[1].image', 'unknown image `cirrus` (did you mean `cirros`?)'],
    ['host: compute-9', 'servers[1].host', 'unknown host `compute-9`'],
    ['group: g1', 'servers[1].group', 'unknown server group `g1`'],
    ['az: az3', 'servers[1].az', 'unknown availability zone `az3`'],
    ['host: compute-1, az: az2', 'servers[1].host', 'is in zone `az1`'],
  ])('a server with %s is refused', (extra, path, words) => {
    const text = extra.startsWith('flavor') ? `${SMALL}  - { name: x, image: cirros, ${extra} }\n`
      : extra.startsWith('image') ? `${SMALL}  - { name: x, flavor: small, ${extra} }\n` : server(extra);
    const d = detailAt(fails(text, 'IHASIM_SCENARIO_SEMANTIC'), path);
    expect(d.message).toContain(words);
    expect(d.line).toBe(14);
  });

  test('a pinned host lacking capacity is not an error (the simulator reports it)', () => {
    const spec = ok(server('host: compute-1').replace('small: { vcpus: 1,', 'small: { vcpus: 999,'));
    expect(spec.flavors.small?.vcpus).toBe(999);
    expect(spec.servers.at(-1)?.host).toBe('compute-1');
  });

  test('a duplicate server name is refused', () => {
    expect(detailAt(fails(server('tags: []').replace('name: x', 'name: web-2'), 'IHASIM_SCENARIO_SEMANTIC'), 'servers[1].name').message)
      .toContain('duplicate name `web-2`');
  });

  test('a fault after the end of the run is refused', () => {
    const d = detailAt(fails(fault('{ at: 2h, kind: host-power-loss, target: compute-1 }'), 'IHASIM_SCENARIO_SEMANTIC'), 'faults[0].at');
    expect(d.message).toBe('the fault is at 2h, after the end of the run (duration 1h)');
  });

  test('a negative fault time is refused', () => {
    expect(detailAt(fails(fault('{ at: -1s, kind: host-power-loss, target: compute-1 }'), 'IHASIM_SCENARIO_SCHEMA'), 'faults[0].at').message)
      .toContain('negative');
  });

  test.each(['nic-down', 'nic-up', 'network-partition'])('%s without network is refused', (kind) => {
    const extra = kind === 'network-partition' ? 'groups: [[compute-1], [compute-2]]' : 'target: compute-1';
    expect(detailAt(fails(fault(`{ at: 1m, kind: ${kind}, ${extra} }`), 'IHASIM_SCENARIO_SEMANTIC'), 'faults[0]').message)
      .toContain('needs `network`');
  });

  test.each([
    ['{ at: 1m, kind: host-reboot, target: compute-1, network: mgmt }', 'faults[0].network', '`network` does not apply'],
    ['{ at: 1m, kind: power-restore, target: compute-1, duration: 5m }', 'faults[0].duration', 'takes no `duration`'],
    ['{ at: 1m, kind: host-hang, target: compute-1, recurring: true }', 'faults[0].recurring', 'does not apply to host-hang'],
    ['{ at: 1m, kind: bmc-slow, target: compute-1 }', 'faults[0]', 'bmc-slow needs `latency`'],
    ['{ at: 1m, kind: network-partition, network: mgmt }', 'faults[0]', 'needs `groups`'],
  ])('fault %s is refused', (f, path, words) => {
    expect(detailAt(fails(fault(f), 'IHASIM_SCENARIO_SEMANTIC'), path).message).toContain(words);
  });

  test('a partition group naming an unknown node is a target error', () => {
    const err = fails(fault('{ at: 1m, kind: network-partition, network: mgmt, groups: [[compute-1], [controler-1]] }'), 'IHASIM_FAULT_TARGET');
    expect(detailAt(err, 'faults[0].groups[1][0]').message).toContain('did you mean `controller-1`');
  });

  test('partition groups resolve globs; a node belongs to the first group that names it', () => {
    const spec = ok(fault('{ at: 1m, kind: network-partition, network: mgmt, groups: [[compute-1], ["compute-*", "controller-*"]], oneWay: true, duration: 2m }'));
    expect(spec.faults[0]).toEqual({
      atMs: 60_000, kind: 'network-partition', network: 'mgmt', oneWay: true, durationMs: 120_000,
      groups: [['compute-1'], ['compute-2', 'compute-3', 'compute-4', 'controller-1', 'controller-2', 'controller-3']],
    });
    const err = fails(fault('{ at: 1m, kind: network-partition, network: mgmt, groups: [[compute-1], [compute-1, compute-2]] }'), 'IHASIM_FAULT_TARGET');
    expect(detailAt(err, 'faults[0].groups[1][0]').message).toContain('already in group 1');
  });

  test('recoveryBound of 0 is refused', () => {
    expect(detailAt(fails(`${HEADER}expect: { recoveryBound: 0s }\n`, 'IHASIM_SCENARIO_SEMANTIC'), 'expect.recoveryBound').message)
      .toContain('longer than 0');
  });

  test('unknown invariant names in expect get a did-you-mean', () => {
    const err = fails(`${HEADER}expect: { invariants: [no-doble-run, convergence], violations: [fence-befor-evacuate] }\n`, 'IHASIM_SCENARIO_SEMANTIC');
    expect(detailAt(err, 'expect.invariants[0]').message).toBe('unknown invariant `no-doble-run` (did you mean `no-double-run`?)');
    expect(detailAt(err, 'expect.violations[0]').message).toContain('did you mean `fence-before-evacuate`');
  });

  test('expect.invariants is `all` or a list', () => {
    expect(detailAt(fails(`${HEADER}expect: { invariants: some }\n`, 'IHASIM_SCENARIO_SCHEMA'), 'expect.invariants').expected)
      .toBe('`all` or a list of invariant names');
    expect(ok(`${HEADER}expect: { invariants: [convergence] }\n`).expect.invariants).toEqual(['convergence']);
  });

  test('aggregates resolve names, globs and ranges; unknown hosts are refused', () => {
    const agg = ok(SMALL.replace('  controllers: 3\n',
      '  controllers: 3\n  aggregates:\n    fast: { hosts: ["compute-{1..2}", "compute-4"], metadata: { ssd: true } }\n'));
    expect(agg.topology.aggregates.fast).toEqual({ hosts: ['compute-1', 'compute-2', 'compute-4'], metadata: { ssd: 'true' } });
    const err = fails(SMALL.replace('  controllers: 3\n', '  controllers: 3\n  aggregates:\n    fast: { hosts: [compute-7] }\n'), 'IHASIM_SCENARIO_SEMANTIC');
    expect(detailAt(err, 'topology.aggregates.fast.hosts[0]').message).toContain('no compute matches `compute-7`');
  });

  test('semantic and target problems are reported together under the semantic code', () => {
    const err = fails(`${SMALL}  - { name: x, flavor: nope, image: cirros }\nfaults:\n  - { at: 1m, kind: host-hang, target: nope-1 }\n`, 'IHASIM_SCENARIO_SEMANTIC');
    expect(err.details.map((d) => d.path)).toEqual(['servers[1].flavor', 'faults[0].target']);
  });
});
