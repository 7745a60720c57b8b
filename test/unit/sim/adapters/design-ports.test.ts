import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../../harness/scenario/index.js';
import { simDesignPorts } from '../../../../sim/adapters/design-ports.js';
import { buildWorld } from '../../../../sim/build-world.js';
import { sleep, type Op } from '../../../../sim/kernel/process.js';
import type { DesignCapabilities } from '../../../../sim/recovery/design.js';
import type { BmcReply, ClusterView, DesignPorts } from '../../../../sim/recovery/design-ports.js';
import type { World } from '../../../../sim/world.js';

const YAML = `ihasim: 1
name: design-ports
duration: 30m
topology:
  controllers: 3
  computes:
    - { name: "compute-{1..3}", vcpus: 8, ramMb: 16384, diskGb: 400 }
flavors:
  m1: { vcpus: 1, ramMb: 1024, diskGb: 10 }
images:
  cirros: {}
servers:
  - { name: vm-1, flavor: m1, image: cirros, host: compute-1 }
recovery: { policy: external }
`;

const CAPS: DesignCapabilities = {
  pacemakerFencing: 'power', evacuation: 'automatic', needsQuorum: false, fencesBeforeEvacuating: true, honoursOptIn: true,
};

function setup(seed = 1): { w: World; ports: DesignPorts } {
  const w = buildWorld(parseScenario(YAML, 'design-ports.yaml'), { seed });
  return { w, ports: simDesignPorts(w, { name: 'test-design', capabilities: CAPS }) };
}

/** Runs `op` as an external process of the design until `untilMs`; returns what it returned and when. */
function runOp<T>(w: World, ports: DesignPorts, op: Op<T>, untilMs = 600_000, where: Parameters<DesignPorts['spawn']>[1] = 'external') {
  const out: { value?: T; atMs?: number } = {};
  function* wrap(): Op<void> {
    out.value = yield* op;
    out.atMs = w.kernel.now;
  }
  ports.spawn('probe', where, wrap());
  w.kernel.run(untilMs);
  return out;
}

describe('BmcPort on the world\'s BMCs (sim/adapters/bmc-port.ts)', () => {
  const opts = { protocol: 'ipmi' as const, timeoutMs: 20_000 };

  it('status reads the power state; off powers the host off after the BMC\'s latency; then status reads off', () => {
    const { w, ports } = setup();
    expect(runOp(w, ports, ports.bmc.power('compute-1', 'status', opts)).value).toEqual({ ok: true, power: 'on' });
    runOp(w, ports, ports.bmc.power('compute-1', 'off', opts), w.kernel.now + 60_000);
    expect(w.hosts.get('compute-1')!.poweredOn).toBe(false);
    const host = w.hosts.get('compute-1')!;
    expect(runOp(w, ports, ports.bmc.power('compute-1', 'status', { ...opts, protocol: 'redfish' }), w.kernel.now + 60_000).value)
      .toEqual({ ok: true, power: 'off' });
    // A status read of off is the confirmation fence-before-evacuate asks for.
    expect(host.fenceConfirmedAtMs).not.toBeNull();
  });

  it('an unreachable BMC does not answer: timeout at timeoutMs', () => {
    const { w, ports } = setup();
    w.bmcs.get('compute-2')!.condition = 'unreachable';
    const r = runOp(w, ports, ports.bmc.power('compute-2', 'off', opts));
    expect(r.value).toMatchObject({ ok: false, error: 'timeout' });
    expect(r.atMs).toBe(20_000);
    expect(w.hosts.get('compute-2')!.poweredOn).toBe(true);
  });

  it('a broken BMC answers with an error (refused); a BMC slower than the timeout is a timeout', () => {
    const { w, ports } = setup();
    w.bmcs.get('compute-2')!.condition = 'broken';
    expect(runOp(w, ports, ports.bmc.power('compute-2', 'status', opts)).value).toMatchObject({ ok: false, error: 'refused' });
    w.bmcs.get('compute-3')!.extraLatency = { kind: 'const', value: 60_000 };
    const r = runOp(w, ports, ports.bmc.power('compute-3', 'status', opts), w.kernel.now + 600_000);
    expect((r.value as BmcReply).ok).toBe(false);
    expect(r.value).toMatchObject({ error: 'timeout' });
  });

  it('a BMC powered from its host\'s feed (bmcSharesPower) is dead with it: timeout', () => {
    const spec = parseScenario(YAML.replace('recovery: { policy: external }', 'recovery: { policy: external }\nfaults:\n  - { at: 1m, kind: host-power-loss, target: compute-2, bmcSharesPower: true }\n'), 'x.yaml');
    const w = buildWorld(spec, { seed: 1 });
    const ports = simDesignPorts(w, { name: 'test-design', capabilities: CAPS });
    w.kernel.run(120_000);
    expect(runOp(w, ports, ports.bmc.power('compute-2', 'status', opts), 300_000).value).toMatchObject({ ok: false, error: 'timeout' });
  });
});

describe('ClusterPort.view: crm_mon -X on a node (sim/adapters/cluster-port.ts)', () => {
  it('a controller of the quorate partition sees quorum, the DC state and every remote node online', () => {
    const { w, ports } = setup();
    const v = runOp(w, ports, ports.cluster!.view('controller-1'), 1_000).value as ClusterView;
    expect(v).toMatchObject({ reachable: true, quorate: true, dcState: 'S_IDLE' });
    expect(v.nodes.filter((n) => n.remote && n.online).map((n) => n.name)).toEqual(['compute-1', 'compute-2', 'compute-3']);
    const other = runOp(w, ports, ports.cluster!.view('controller-2'), 2_000).value as ClusterView;
    expect(other.dcState).toBe('S_NOT_DC');
  });

  it('a controller cut off alone sees its own partition: no quorum, the others offline, every remote node offline', () => {
    const spec = parseScenario(YAML.replace('recovery: { policy: external }', 'recovery: { policy: external }\nfaults:\n  - { at: 1m, kind: network-partition, network: mgmt, groups: [[controller-3], [controller-1, controller-2, "compute-*"]] }\n'), 'x.yaml');
    const w = buildWorld(spec, { seed: 1 });
    const ports = simDesignPorts(w, { name: 'test-design', capabilities: CAPS });
    w.kernel.run(180_000);
    const v = runOp(w, ports, ports.cluster!.view('controller-3'), 181_000).value as ClusterView;
    expect(v).toMatchObject({ reachable: true, quorate: false });
    expect(v.nodes.filter((n) => n.online).map((n) => n.name)).toEqual(['controller-3']);
    const majority = runOp(w, ports, ports.cluster!.view('compute-1'), 182_000).value as ClusterView;
    expect(majority).toMatchObject({ reachable: true, quorate: true });
  });

  it('a compute that is off cannot run crm_mon: unreachable', () => {
    const { w, ports } = setup();
    w.hostEvent(w.hosts.get('compute-2')!, 'POWER_OFF');
    expect((runOp(w, ports, ports.cluster!.view('compute-2'), 1_000).value as ClusterView).reachable).toBe(false);
  });

  it('designs without Pacemaker fencing get no cluster port', () => {
    const w = buildWorld(parseScenario(YAML, 'x.yaml'), { seed: 1 });
    expect(simDesignPorts(w, { name: 'x', capabilities: { ...CAPS, pacemakerFencing: 'none' } }).cluster).toBeUndefined();
  });
});

describe('spawn places and the design\'s random stream', () => {
  function* forever(): Op<void> {
    for (;;) yield* sleep(1_000);
  }

  it('{host}: dies when the compute dies; {controller}: when the controller fails; external: never', () => {
    const { w, ports } = setup();
    ports.spawn('on-host', { host: 'compute-2' }, forever());
    ports.spawn('on-controller', { controller: 'controller-1' }, forever());
    ports.spawn('outside', 'external', forever());
    w.kernel.run(10_000);
    expect([ports.running('on-host'), ports.running('on-controller'), ports.running('outside')]).toEqual([1, 1, 1]);
    w.hostEvent(w.hosts.get('compute-2')!, 'POWER_OFF');
    w.pacemaker.controllerFailed('controller-1');
    w.kernel.run(20_000);
    expect([ports.running('on-host'), ports.running('on-controller'), ports.running('outside')]).toEqual([0, 0, 1]);
  });

  it('{host}: a daemon on a hung compute makes no progress until the compute resumes', () => {
    const { w, ports } = setup();
    const ticks: number[] = [];
    function* ticking(): Op<void> {
      for (;;) {
        yield* sleep(1_000);
        ticks.push(w.kernel.now);
      }
    }
    ports.spawn('monitor', { host: 'compute-3' }, ticking());
    w.kernel.run(5_500);
    const host = w.hosts.get('compute-3')!;
    w.hostEvent(host, 'HANG');
    w.kernel.run(60_000);
    const whileHung = ticks.filter((t) => t > 7_000 && t <= 60_000);
    expect(whileHung).toEqual([]);
    w.hostEvent(host, 'UNHANG');
    w.kernel.run(70_000);
    expect(ticks.filter((t) => t > 60_000).length).toBeGreaterThan(5);
    expect(ports.running('monitor')).toBe(1);
  });

  it('a design\'s draws come from its own stream: another design\'s draws and the world\'s do not move', () => {
    const a = setup(7);
    const b = setup(7);
    for (let i = 0; i < 100; i++) a.ports.random.uniform(0, 5_000);
    const otherA = simDesignPorts(a.w, { name: 'other', capabilities: CAPS });
    const otherB = simDesignPorts(b.w, { name: 'other', capabilities: CAPS });
    expect(otherA.random.uniform(0, 1_000_000)).toBe(otherB.random.uniform(0, 1_000_000));
    expect(a.w.rng('faults').int(0, 1_000_000)).toBe(b.w.rng('faults').int(0, 1_000_000));
    expect(a.ports.random.uniform(0, 5_000)).toBeGreaterThanOrEqual(0);
    expect(a.ports.random.draw({ kind: 'const', value: 1500.4 })).toBe(1500);
  });
});
