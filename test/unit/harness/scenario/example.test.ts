import { DEFAULT_CHECK_KINDS } from '../../../../harness/scenario/check-block.js';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseScenario } from '../../../../harness/scenario/index.js';
import { DEFAULT_CONFIG } from '../../../../sim/config.js';
import { HEADER, fails, ok } from './helpers.js';

const EXAMPLE = readFileSync(new URL('./fixtures/rack-power-loss.yaml', import.meta.url), 'utf8');
const pad = (n: number) => String(n).padStart(2, '0');

describe('scenario: the scenarios/README.md example', () => {
  const spec = parseScenario(EXAMPLE, 'rack-power-loss.yaml');

  test('header, racks spread 8 + 8, defaults filled', () => {
    expect(spec).toMatchObject({ name: 'rack-power-loss', durationMs: 45 * 60_000, seed: 7, file: 'rack-power-loss.yaml' });
    expect(spec.topology.controllers).toBe(3);
    expect(spec.topology.computes).toHaveLength(16);
    expect(spec.topology.computes[0]).toEqual({
      name: 'compute-01', az: 'nova', rack: 'r1', vcpus: 32, ramMb: 131072, diskGb: 2000,
      bmc: { kind: 'ipmi', username: 'admin', password: 'password' },
    });
    expect(spec.topology.computes.map((c) => c.rack)).toEqual([...Array(8).fill('r1'), ...Array(8).fill('r2')]);
    expect(spec.topology.aggregates).toEqual({});
  });

  test('flavors, images and 40 servers', () => {
    expect(spec.flavors).toEqual({ 'm1.small': { vcpus: 1, ramMb: 2048, diskGb: 20, extraSpecs: { 'hw:watchdog_action': 'reset', evacuable: 'true' } } });
    expect(spec.images).toEqual({ cirros: { sizeMb: 512, properties: { hw_watchdog_action: 'poweroff' }, tags: [] } });
    expect(spec.servers).toHaveLength(40);
    expect(spec.servers[39]).toEqual({ name: 'web-40', flavor: 'm1.small', image: 'cirros', storage: 'shared', tags: ['automatic-recovery'], metadata: {} });
  });

  test('config overrides merged over the defaults', () => {
    expect(spec.config).toEqual({
      ...DEFAULT_CONFIG,
      fencing: { ...DEFAULT_CONFIG.fencing, ipmi: { ...DEFAULT_CONFIG.fencing.ipmi, actionTimeMs: { kind: 'uniform', min: 1000, max: 4000 } } },
    });
  });

  test('recovery, faults and expect', () => {
    const r1 = Array.from({ length: 8 }, (_, i) => `compute-${pad(i + 1)}`);
    expect(spec.recovery).toEqual({ policy: 'instanceha', forceDown: true, instanceFilter: { kind: 'evacuable' }, sharedStorage: true, evacuateLocal: true });
    expect(spec.faults).toEqual([
      { atMs: 300_000, kind: 'host-power-loss', target: { pool: r1, text: '{rack: r1}' } },
      { atMs: 480_000, kind: 'network-partition', network: 'mgmt', oneWay: false, durationMs: 240_000,
        groups: [['compute-09'], ['compute-10', 'controller-1', 'controller-2', 'controller-3']] },
      { atMs: 1_800_000, kind: 'power-restore', target: { pool: r1, text: '{rack: r1}' } },
    ]);
    expect(spec.expect).toEqual({ invariants: 'all', recoveryBoundMs: 300_000, violations: [], allowedReasons: [] });
  });

  test('the spec is deeply frozen', () => {
    expect(Object.isFrozen(spec)).toBe(true);
    expect(Object.isFrozen(spec.config.fencing.ipmi.actionTimeMs)).toBe(true);
    expect(Object.isFrozen(spec.servers[0]?.tags)).toBe(true);
    expect(() => { (spec.topology.computes as unknown[]).push({}); }).toThrow(TypeError);
  });

  test('parsing does not touch DEFAULT_CONFIG', () => {
    expect(Object.isFrozen(DEFAULT_CONFIG.nova)).toBe(false);
  });
});

describe('scenario: defaults of a minimal scenario', () => {
  test('every optional block gets its documented default', () => {
    const spec = ok(HEADER);
    expect(spec).toEqual({
      name: 't', description: '', durationMs: 3_600_000, seed: 1, file: 'test.yaml',
      topology: { controllers: 3, computes: [], aggregates: {} },
      flavors: {}, images: {}, servers: [], serverGroups: {}, config: DEFAULT_CONFIG,
      recovery: { policy: 'instanceha', forceDown: true, instanceFilter: { kind: 'evacuable' }, sharedStorage: true, evacuateLocal: true },
      faults: [], expect: { invariants: 'all', violations: [], allowedReasons: [] },
      check: {
        kinds: [...DEFAULT_CHECK_KINDS], hosts: [], controllers: ['controller-1', 'controller-2', 'controller-3'], servers: [],
        windowMs: [60_000, 600_000], maxFaults: 4, maxConcurrent: 2, maxDurationMs: 300_000, gridMs: 10_000, recoveryBoundMs: 600_000,
      },
    });
  });

  test.each([
    ['all', { kind: 'all' }], ['tag:ha', { kind: 'tag', tag: 'ha' }], ['metadata:evacuate', { kind: 'metadata', key: 'evacuate' }],
  ])('instanceFilter %s', (text, filter) => {
    expect(ok(`${HEADER}recovery: { instanceFilter: "${text}" }\n`).recovery.instanceFilter).toEqual(filter);
  });

  test('a check block is resolved: kinds, pools by glob, window, bounds', () => {
    const spec = ok(`${HEADER}check: { faults: [host-hang], controllers: ["controller-1"], window: [2m, 3m], grid: 5s, recoveryBound: 4m }\n`);
    expect(spec.check).toMatchObject({ kinds: ['host-hang'], controllers: ['controller-1'], windowMs: [120_000, 180_000], gridMs: 5000, recoveryBoundMs: 240_000 });
  });

  test('a check block with unknown keys or fault kinds is refused with did-you-mean', () => {
    const err = fails(`${HEADER}check: { runs: 100 }\n`, 'IHASIM_SCENARIO_SCHEMA');
    expect(err.details[0]!.message).toMatch(/unknown key `runs`/);
    fails(`${HEADER}check: { faults: [host-hung] }\n`, 'IHASIM_SCENARIO_SCHEMA');
  });
});
