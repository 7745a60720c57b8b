import { describe, expect, it } from 'vitest';
import { WorldBmcBackend } from '../../../../harness/serve/world-bmc-backend.js';
import { injectFault } from '../../../../sim/faults/inject.js';
import { buildWorld } from '../../../../sim/build-world.js';
import type { FaultSpec } from '../../../../sim/scenario-spec.js';
import type { World } from '../../../../sim/world.js';
import { serveSpec } from '../../../support/serve-scenario.js';

function setup() {
  const world = buildWorld(serveSpec(), { seed: 3 });
  world.kernel.run(60_000);
  return { world, backend: new WorldBmcBackend(world) };
}

function inject(world: World, fault: Omit<FaultSpec, 'atMs'>): void {
  injectFault(world, { atMs: world.kernel.now, ...fault });
}

const on = (pool: string[]) => ({ pool, text: pool.join(',') });
const confirmations = (world: World, host: string) => world.trace.records.filter((r) => r.type === 'fence.power-off-confirmed' && r.entity === host);

describe('WorldBmcBackend: nodes and power', () => {
  it('serves every compute on both interfaces with its scenario credentials', () => {
    const { backend } = setup();
    expect(backend.nodes().map((n) => n.name)).toEqual(['compute-01', 'compute-02', 'compute-03', 'compute-04', 'compute-05', 'compute-06']);
    expect(backend.nodes()[0]).toEqual({ name: 'compute-01', credentials: { username: 'admin', password: 'password' }, ipmi: true, redfish: true });
  });

  it('reads power from the host truth', () => {
    const { world, backend } = setup();
    expect(backend.power('compute-02')).toBe('on');
    inject(world, { kind: 'host-power-loss', target: on(['compute-02']) });
    expect(backend.power('compute-02')).toBe('off');
  });

  it('calls sync before every read and action (the real-time driver hooks in there)', async () => {
    const world = buildWorld(serveSpec(), { seed: 3 });
    let syncs = 0;
    const backend = new WorldBmcBackend(world, { sync: () => void syncs++ });
    backend.power('compute-01');
    backend.reachability('compute-01');
    await backend.powerAction('compute-01', 'on', 'ipmi');
    expect(syncs).toBe(3);
  });
});

describe('WorldBmcBackend: reachability', () => {
  it('follows the BMC condition: bmc-unreachable, bmc-broken, bmc-restore', () => {
    const { world, backend } = setup();
    expect(backend.reachability('compute-01')).toBe('ok');
    inject(world, { kind: 'bmc-unreachable', target: on(['compute-01']) });
    expect(backend.reachability('compute-01')).toBe('unreachable');
    inject(world, { kind: 'bmc-broken', target: on(['compute-01']) });
    expect(backend.reachability('compute-01')).toBe('broken');
    inject(world, { kind: 'bmc-restore', target: on(['compute-01']) });
    expect(backend.reachability('compute-01')).toBe('ok');
  });

  it('is unreachable while the host ipmi NIC is down (other networks do not matter)', () => {
    const { world, backend } = setup();
    inject(world, { kind: 'nic-down', target: on(['compute-04']), network: 'mgmt' });
    expect(backend.reachability('compute-04')).toBe('ok');
    inject(world, { kind: 'nic-down', target: on(['compute-04']), network: 'ipmi' });
    expect(backend.reachability('compute-04')).toBe('unreachable');
    inject(world, { kind: 'nic-up', target: on(['compute-04']), network: 'ipmi' });
    expect(backend.reachability('compute-04')).toBe('ok');
  });

  it('is unreachable when an ipmi partition cuts it from every controller, not from some', () => {
    const { world, backend } = setup();
    inject(world, { kind: 'network-partition', network: 'ipmi', groups: [['compute-05'], ['controller-1', 'controller-2', 'controller-3']] });
    expect(backend.reachability('compute-05')).toBe('unreachable');
    expect(backend.reachability('compute-06')).toBe('ok');
    inject(world, { kind: 'network-heal', network: 'ipmi' });
    inject(world, { kind: 'network-partition', network: 'ipmi', groups: [['compute-05', 'controller-1'], ['controller-2', 'controller-3']] });
    expect(backend.reachability('compute-05')).toBe('ok');
  });

  it('refuses a power action through an unreachable or broken BMC', async () => {
    const { world, backend } = setup();
    inject(world, { kind: 'bmc-broken', target: on(['compute-01']) });
    await expect(backend.powerAction('compute-01', 'off', 'ipmi')).rejects.toThrow(/broken/);
    expect(world.hosts.get('compute-01')!.poweredOn).toBe(true);
  });
});

describe('WorldBmcBackend: power actions and fence confirmation', () => {
  it('powers off after the seeded action latency, and a status read of off then confirms the fence', async () => {
    const { world, backend } = setup();
    const host = world.hosts.get('compute-01')!;
    const t0 = world.kernel.now;
    await backend.powerAction('compute-01', 'off', 'ipmi');
    expect(backend.power('compute-01')).toBe('on'); // the latency has not passed yet
    expect(host.fenceConfirmedAtMs).toBeNull();
    world.kernel.run(t0 + 30_000);
    expect(backend.power('compute-01')).toBe('off');
    expect(host.fenceConfirmedAtMs).toBe(world.kernel.now);
    expect(world.incidents.current('compute-01')?.fenceConfirmedAtMs).toBe(world.kernel.now);
    expect(confirmations(world, 'compute-01')).toEqual([expect.objectContaining({ via: 'ipmi', served: true })]);
  });

  it('confirms a host found already off (fence agent: "Already OFF") once per powered-off period', () => {
    const { world, backend } = setup();
    inject(world, { kind: 'host-power-loss', target: on(['compute-03']) });
    world.kernel.run(world.kernel.now + 5_000);
    backend.power('compute-03');
    backend.power('compute-03');
    expect(confirmations(world, 'compute-03')).toHaveLength(1);
    expect(world.hosts.get('compute-03')!.fenceConfirmedAtMs).toBe(world.kernel.now);
  });

  it('confirms again after the host was on in between', () => {
    const { world, backend } = setup();
    inject(world, { kind: 'host-power-loss', target: on(['compute-03']) });
    backend.power('compute-03');
    inject(world, { kind: 'power-restore', target: on(['compute-03']) });
    world.kernel.run(world.kernel.now + 1_000);
    backend.observe();
    inject(world, { kind: 'host-power-loss', target: on(['compute-03']) });
    backend.power('compute-03');
    expect(confirmations(world, 'compute-03')).toHaveLength(2);
  });

  it('re-confirms when an off is requested again through the BMC', async () => {
    const { world, backend } = setup();
    inject(world, { kind: 'host-power-loss', target: on(['compute-03']) });
    backend.power('compute-03');
    await backend.powerAction('compute-03', 'off', 'redfish');
    world.kernel.run(world.kernel.now + 30_000);
    backend.power('compute-03');
    expect(confirmations(world, 'compute-03').map((r) => r['via'])).toEqual(['ipmi', 'redfish']);
  });

  it('never confirms a host that reads on', async () => {
    const { world, backend } = setup();
    await backend.powerAction('compute-02', 'reset', 'ipmi');
    world.kernel.run(world.kernel.now + 30_000);
    backend.power('compute-02');
    expect(confirmations(world, 'compute-02')).toEqual([]);
    expect(world.hosts.get('compute-02')!.fenceConfirmedAtMs).toBeNull();
  });
});

describe('WorldBmcBackend: actions on one BMC complete in the order received', () => {
  it.each([1, 2, 3, 4, 5])('power off then power on back to back leaves every host on (seed %i)', async (seed) => {
    const world = buildWorld(serveSpec(), { seed });
    world.kernel.run(60_000);
    const backend = new WorldBmcBackend(world);
    const hosts = backend.nodes().map((n) => n.name);
    for (const h of hosts) {
      await backend.powerAction(h, 'off', 'ipmi');
      await backend.powerAction(h, 'on', 'ipmi');
    }
    world.kernel.run(world.kernel.now + 600_000);
    expect(hosts.filter((h) => backend.power(h) === 'off')).toEqual([]);
    // Each host went off, then on: the off was carried out before the on.
    for (const h of hosts) {
      const transitions = world.trace.records.filter((r) => r.entity === h && (r.type === 'host.power_off' || r.type === 'host.power_on')).map((r) => r.type);
      expect(transitions).toEqual(['host.power_off', 'host.power_on']);
    }
  });

  it('power on then power off back to back leaves every host off', async () => {
    const world = buildWorld(serveSpec(), { seed: 7 });
    world.kernel.run(60_000);
    const backend = new WorldBmcBackend(world);
    const hosts = backend.nodes().map((n) => n.name);
    for (const h of hosts) {
      await backend.powerAction(h, 'off', 'redfish');
      await backend.powerAction(h, 'on', 'redfish');
      await backend.powerAction(h, 'off', 'redfish');
    }
    world.kernel.run(world.kernel.now + 600_000);
    expect(hosts.filter((h) => backend.power(h) === 'on')).toEqual([]);
  });
});
