import { describe, expect, it } from 'vitest';
import { FakeCloud } from './fake-cloud.js';

const S = 1_000;
const MIN = 60_000;

describe('RHOSO InstanceHA poller (instanceha.py main / process_service), against a fake cloud', () => {
  it('detects a power loss 30–75 s after the last heartbeat (POLL 45 s + DELTA 30 s), fences, evacuates, powers on, re-enables', () => {
    const cloud = new FakeCloud().start();
    cloud.powerLoss('compute-1', 100 * S);
    cloud.run(20 * MIN);
    const lastBeat = cloud.lastBeatBeforeLoss('compute-1');
    const [down] = cloud.events('rhoso.host-down', 'compute-1');
    expect(down).toBeDefined();
    const detectMs = (down?.at as number) - lastBeat;
    expect(detectMs).toBeGreaterThan(30 * S);
    expect(detectMs).toBeLessThanOrEqual(75 * S + 1 * S);
    // process_service: fence off, force down + disable, evacuate both servers, power on, reason `complete`.
    const offs = cloud.bmcCalls.filter((c) => c.host === 'compute-1' && c.action === 'off');
    expect(offs).toHaveLength(1);
    expect(cloud.evacuateCalls.map((c) => c.uuid).sort()).toEqual(['uuid-vm-1-1', 'uuid-vm-1-2']);
    expect(cloud.servers.filter((s) => s.host === 'compute-1')).toEqual([]);
    const on = cloud.bmcCalls.find((c) => c.host === 'compute-1' && c.action === 'on');
    expect(on).toBeDefined();
    // Re-enabled: forced up once the source's nova-compute cleaned up, enabled once up.
    const h = cloud.host('compute-1');
    expect(h.forcedDown).toBe(false);
    expect(h.status).toBe('enabled');
    expect(cloud.events('rhoso.reenable.enabled', 'compute-1')).toHaveLength(1);
  });

  it('detection bounds hold for failures at every phase of the heartbeat and poll cycles', () => {
    const delays: number[] = [];
    for (let k = 0; k < 20; k++) {
      const cloud = new FakeCloud({ hosts: 4 }).start();
      cloud.powerLoss('compute-2', 60 * S + k * 4_700);
      cloud.run(6 * MIN);
      const down = cloud.events('rhoso.host-down', 'compute-2')[0];
      delays.push((down?.at as number) - cloud.lastBeatBeforeLoss('compute-2'));
    }
    // Stale after DELTA (30 s); the next poll comes at most POLL (45 s) plus one cycle's API time later.
    expect(Math.min(...delays)).toBeGreaterThan(30 * S);
    expect(Math.max(...delays)).toBeLessThanOrEqual(76 * S);
    expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(20 * S);
  });

  it('powers the host on right after the evacuate calls were accepted, before the rebuilds finish (upstream hazard)', () => {
    const cloud = new FakeCloud({ rebuildMs: 5 * MIN, bootMs: 60 * S }).start();
    cloud.powerLoss('compute-1', 100 * S);
    cloud.run(20 * MIN);
    const on = cloud.bmcCalls.find((c) => c.host === 'compute-1' && c.action === 'on')?.at as number;
    const lastEvacuate = Math.max(...cloud.evacuateCalls.map((c) => c.at));
    expect(on - lastEvacuate).toBeLessThan(5 * S);
    const started = cloud.events('test.nova-compute-start', 'compute-1')[0]?.at as number;
    const rebuildsDone = lastEvacuate + 5 * MIN;
    expect(started).toBeLessThan(rebuildsDone);
    // The rebuilds then finish after the source's cleanup: their rows stay `done`, Nova refuses the force-up, and the
    // poller retries it every poll, for good (once the rows leave the 7-minute window it no longer even waits).
    expect(cloud.host('compute-1').forcedDown).toBe(true);
    expect(cloud.events('rhoso.reenable.force-up-refused', 'compute-1').length).toBeGreaterThan(5);
  });

  it('a failed traditional evacuation is resumed next poll, and a server still rebuilding is reset and evacuated again', () => {
    const cloud = new FakeCloud({ rebuildMs: 5 * MIN, refusedServers: new Set(['vm-1-1']) }).start();
    cloud.powerLoss('compute-1', 100 * S);
    cloud.run(6 * MIN);
    const second = cloud.evacuateCalls.filter((c) => c.uuid === 'uuid-vm-1-2');
    expect(second.length).toBeGreaterThanOrEqual(2);
    expect(second[1]!.at - second[0]!.at).toBeLessThan(5 * MIN);
    expect(cloud.events('rhoso.evacuate.reset-stuck', 'uuid-vm-1-2').length).toBeGreaterThanOrEqual(1);
  });

  it('CHECK_HEARTBEAT: a host Nova sees down but still heard over UDP is not fenced', () => {
    const cloud = new FakeCloud({ config: { checkHeartbeat: true } });
    cloud.udp = { lastKdumpMs: () => undefined, lastHeartbeatMs: (h) => (h === 'compute-1' || cloud.host(h).power === 'on' ? cloud.kernel.now : undefined) };
    cloud.start();
    // nova-compute dies on compute-1 (the host runs on and keeps sending heartbeats); compute-2 loses power.
    cloud.kernel.at(150 * S, () => { cloud.host('compute-1').computeUp = false; });
    cloud.powerLoss('compute-2', 150 * S);
    cloud.run(10 * MIN);
    expect(cloud.bmcCalls.filter((c) => c.host === 'compute-1')).toEqual([]);
    expect(cloud.bmcCalls.filter((c) => c.host === 'compute-2' && c.action === 'off')).toHaveLength(1);
  });

  it('a dead BMC: 3 tries (1 s, 2 s apart), nothing evacuated, the host re-fenced every poll for ever', () => {
    const cloud = new FakeCloud().start();
    cloud.host('compute-3').bmc = 'dead';
    cloud.powerLoss('compute-3', 100 * S);
    cloud.run(15 * MIN);
    const offs = cloud.bmcCalls.filter((c) => c.host === 'compute-3' && c.action === 'off');
    // Each attempt: 3 tries, each ending after FENCING_TIMEOUT (30 s) without an answer, 1 s then 2 s apart.
    expect(offs[1]!.at - offs[0]!.at).toBe(1 * S + 30 * S);
    expect(offs[2]!.at - offs[1]!.at).toBe(2 * S + 30 * S);
    expect(offs.length).toBeGreaterThanOrEqual(3 * 5);
    expect(cloud.evacuateCalls).toEqual([]);
    expect(cloud.host('compute-3').forcedDown).toBe(false);
    expect(cloud.events('rhoso.fence.failed', 'compute-3').length).toBeGreaterThanOrEqual(5);
  });

  it('THRESHOLD: an outage over 50 % of the services skips every cycle, so nothing is ever recovered', () => {
    const cloud = new FakeCloud({ hosts: 4 }).start();
    for (const h of ['compute-1', 'compute-2', 'compute-3']) cloud.powerLoss(h, 100 * S);
    cloud.run(30 * MIN);
    expect(cloud.events('rhoso.gate.threshold').length).toBeGreaterThan(20);
    expect(cloud.bmcCalls.filter((c) => c.action === 'off')).toEqual([]);
    expect(cloud.evacuateCalls).toEqual([]);
  });

  it('THRESHOLD 100 lets the same outage be recovered (the knob that fixes it); 2 of 4 hosts is exactly 50 %: not over', () => {
    const cloud = new FakeCloud({ hosts: 4, config: { threshold: 100 } }).start();
    for (const h of ['compute-1', 'compute-2', 'compute-3']) cloud.powerLoss(h, 100 * S);
    cloud.run(30 * MIN);
    expect(cloud.evacuateCalls).toHaveLength(6);
    const half = new FakeCloud({ hosts: 4 }).start();
    for (const h of ['compute-1', 'compute-2']) half.powerLoss(h, 100 * S);
    half.run(10 * MIN);
    expect(half.evacuateCalls).toHaveLength(4);
  });

  it('TAGGED_AGGREGATES fails closed: a host in no aggregate with evacuable=true is never recovered', () => {
    const cloud = new FakeCloud({ aggregates: [] }).start();
    cloud.powerLoss('compute-1', 100 * S);
    cloud.run(10 * MIN);
    expect(cloud.evacuateCalls).toEqual([]);
    expect(cloud.events('rhoso.gate.not-in-evacuable-aggregate', 'compute-1').length).toBeGreaterThan(5);
    const open = new FakeCloud({ aggregates: [], config: { taggedAggregates: false } }).start();
    open.powerLoss('compute-1', 100 * S);
    open.run(10 * MIN);
    expect(open.evacuateCalls).toHaveLength(2);
  });

  it('all active services stale (≥ 3): the cycle is skipped (a Nova or database outage is not a host failure)', () => {
    const cloud = new FakeCloud({ hosts: 3, config: { threshold: 100 } }).start();
    for (const h of ['compute-1', 'compute-2', 'compute-3']) cloud.powerLoss(h, 100 * S);
    cloud.run(10 * MIN);
    expect(cloud.events('rhoso.gate.skip-cycle', 'all-stale').length).toBeGreaterThan(5);
    expect(cloud.evacuateCalls).toEqual([]);
  });

  it('hosts without servers are dropped; MAX_HOSTS_PER_CYCLE defers the rest to the next cycle', () => {
    const cloud = new FakeCloud({ hosts: 6, config: { maxHostsPerCycle: 1, threshold: 100 } }).start();
    cloud.servers.splice(0, cloud.servers.length, ...cloud.servers.filter((s) => s.host !== 'compute-3'));
    for (const h of ['compute-1', 'compute-2', 'compute-3']) cloud.powerLoss(h, 100 * S);
    cloud.run(10 * MIN);
    const firstOff = (h: string): number => cloud.bmcCalls.find((c) => c.host === h && c.action === 'off')?.at ?? -1;
    expect(firstOff('compute-3')).toBe(-1);
    expect(firstOff('compute-1')).toBeGreaterThan(0);
    expect(firstOff('compute-2') - firstOff('compute-1')).toBeGreaterThan(40 * S);
    expect(cloud.events('rhoso.gate.rate-limited').length).toBeGreaterThan(0);
  });

  it('no nova-scheduler up: nothing is fenced', () => {
    const cloud = new FakeCloud({ schedulerUp: false }).start();
    cloud.powerLoss('compute-1', 100 * S);
    cloud.run(10 * MIN);
    expect(cloud.events('rhoso.gate.skip-cycle', 'no-scheduler').length).toBeGreaterThan(3);
    expect(cloud.bmcCalls.filter((c) => c.action === 'off')).toEqual([]);
  });

  it('Nova errors back off min(POLL·2ⁿ, 300 s)', () => {
    const cloud = new FakeCloud().start();
    cloud.kernel.at(10 * S, () => { cloud.novaDown = true; });
    cloud.run(20 * MIN);
    const backoffs = cloud.events('rhoso.poll.failed').map((e) => e.fields?.['backoffMs']);
    expect(backoffs.slice(0, 4)).toEqual([90 * S, 180 * S, 300 * S, 300 * S]);
  });

  it('smart evacuation: a failing migration is retried EVACUATION_RETRIES times, then FAILED and no power-on', () => {
    const cloud = new FakeCloud({ failingServers: new Set(['vm-1-1']), config: { smartEvacuation: true } }).start();
    cloud.powerLoss('compute-1', 100 * S);
    cloud.run(20 * MIN);
    expect(cloud.evacuateCalls.filter((c) => c.uuid === 'uuid-vm-1-1')).toHaveLength(5);
    expect(cloud.evacuateCalls.filter((c) => c.uuid === 'uuid-vm-1-2')).toHaveLength(1);
    expect(cloud.host('compute-1').disabledReason).toMatch(/^instanceha evacuation FAILED: /);
    expect(cloud.bmcCalls.filter((c) => c.host === 'compute-1' && c.action === 'on')).toEqual([]);
  });

  it('smart evacuation powers on only after the tracked rebuilds are done', () => {
    const cloud = new FakeCloud({ rebuildMs: 2 * MIN, config: { smartEvacuation: true } }).start();
    cloud.powerLoss('compute-1', 100 * S);
    cloud.run(20 * MIN);
    const on = cloud.bmcCalls.find((c) => c.host === 'compute-1' && c.action === 'on')?.at as number;
    const lastEvacuate = Math.max(...cloud.evacuateCalls.map((c) => c.at));
    expect(on - lastEvacuate).toBeGreaterThanOrEqual(2 * MIN);
    expect(cloud.host('compute-1').status).toBe('enabled');
  });

  it('a restart of the poller pod loses its memory; the new pod resumes from Nova\'s markers without fencing again', () => {
    const cloud = new FakeCloud({ rebuildMs: 1 * MIN }).start();
    cloud.powerLoss('compute-1', 100 * S);
    // Restart as soon as the host is disabled, before any evacuation.
    const disabledAt = (): boolean => cloud.host('compute-1').status === 'disabled';
    let restarted = -1;
    while (cloud.kernel.now < 10 * MIN && restarted < 0) {
      cloud.run(cloud.kernel.now + 100);
      if (disabledAt() && cloud.evacuateCalls.length === 0) {
        cloud.restartPoller();
        restarted = cloud.kernel.now;
      }
    }
    expect(restarted).toBeGreaterThan(0);
    expect(cloud.evacuateCalls).toEqual([]);
    cloud.run(20 * MIN);
    expect(cloud.bmcCalls.filter((c) => c.host === 'compute-1' && c.action === 'off')).toHaveLength(1);
    expect(cloud.evacuateCalls).toHaveLength(2);
    expect(cloud.host('compute-1').status).toBe('enabled');
    expect(cloud.host('compute-1').forcedDown).toBe(false);
  });

  it('at start-up a host forced down but not disabled is marked for resume (_reconcile_orphaned_hosts)', () => {
    const cloud = new FakeCloud();
    cloud.powerLoss('compute-2', 1 * S);
    cloud.run(70 * S);
    cloud.host('compute-2').forcedDown = true;
    cloud.start().run(10 * MIN);
    expect(cloud.events('rhoso.reconcile.orphan', 'compute-2')).toHaveLength(1);
    expect(cloud.evacuateCalls).toHaveLength(2);
    // A resume does not fence.
    expect(cloud.bmcCalls.filter((c) => c.host === 'compute-2' && c.action === 'off')).toEqual([]);
  });

  it('Redfish: a 409 while the system is already off counts as fenced', () => {
    const cloud = new FakeCloud({ config: { fencingProtocolByHost: { 'compute-1': 'redfish' } } }).start();
    cloud.powerLoss('compute-1', 100 * S);
    cloud.run(10 * MIN);
    // ForceOff refused (the host lost power), PowerState read: Off → success, evacuation goes ahead.
    expect(cloud.bmcCalls.filter((c) => c.host === 'compute-1').slice(0, 2).map((c) => c.action)).toEqual(['off', 'status']);
    expect(cloud.evacuateCalls).toHaveLength(2);
  });

  it('CHECK_KDUMP: a host whose kdump message arrived is not powered off nor on; others wait KDUMP_TIMEOUT first', () => {
    const cloud = new FakeCloud({ config: { checkKdump: true } });
    const kdumpAt = 105 * S;
    cloud.udp = { lastKdumpMs: (h) => (h === 'compute-1' && cloud.kernel.now >= kdumpAt ? Math.max(kdumpAt, cloud.kernel.now - 20 * S) : undefined),
      lastHeartbeatMs: () => undefined };
    cloud.start();
    cloud.powerLoss('compute-1', 100 * S);
    cloud.powerLoss('compute-2', 100 * S);
    cloud.run(15 * MIN);
    expect(cloud.bmcCalls.filter((c) => c.host === 'compute-1')).toEqual([]);
    expect(cloud.host('compute-1').disabledReason ?? '').not.toMatch(/FAILED/);
    expect(cloud.evacuateCalls.filter((c) => c.uuid.startsWith('uuid-vm-1-'))).toHaveLength(2);
    const down2 = cloud.events('rhoso.host-down', 'compute-2')[0]?.at as number;
    const off2 = cloud.bmcCalls.find((c) => c.host === 'compute-2' && c.action === 'off')?.at as number;
    expect(off2 - down2).toBeGreaterThanOrEqual(30 * S);
  });
  it('per-aggregate instanceha:max_failures blocks the hosts of an aggregate over it; other aggregates go on', () => {
    const cloud = new FakeCloud({ hosts: 6, aggregates: [
      { id: 1, name: 'a', az: null, hosts: ['compute-1', 'compute-2', 'compute-3'], metadata: { evacuable: 'true', 'instanceha:max_failures': '0' } },
      { id: 2, name: 'b', az: null, hosts: ['compute-4', 'compute-5', 'compute-6'], metadata: { evacuable: 'true' } },
    ] }).start();
    cloud.powerLoss('compute-1', 100 * S);
    cloud.powerLoss('compute-4', 100 * S);
    cloud.run(10 * MIN);
    expect(cloud.bmcCalls.filter((c) => c.host === 'compute-1')).toEqual([]);
    expect(cloud.events('rhoso.gate.aggregate-threshold').length).toBeGreaterThan(3);
    expect(cloud.evacuateCalls.map((c) => c.uuid).sort()).toEqual(['uuid-vm-4-1', 'uuid-vm-4-2']);
  });

  it('tags: nothing tagged evacuates everything (fails open); a tagged flavor selects; SKIP_SERVERS_WITH_NAME globs are skipped', () => {
    const tagged = new FakeCloud({ config: { skipServersWithName: ['*-3'] }, serversPerHost: 3 });
    tagged.flavors.push({ id: 'f2', name: 'm1.ha', vcpus: 1, ramMb: 512, diskGb: 1, extraSpecs: { evacuable: 'true' } });
    tagged.servers.filter((s) => s.name !== 'vm-1-1').forEach((s) => { s.flavor = 'f2'; });
    tagged.start();
    tagged.powerLoss('compute-1', 100 * S);
    tagged.run(10 * MIN);
    expect(tagged.evacuateCalls.map((c) => c.uuid)).toEqual(['uuid-vm-1-2']);
    const open = new FakeCloud().start();
    open.powerLoss('compute-1', 100 * S);
    open.run(10 * MIN);
    expect(open.evacuateCalls).toHaveLength(2);
  });
  it('LEAVE_DISABLED leaves a recovered host forced down and disabled; FORCE_ENABLE forces it up while its rebuilds still run', () => {
    const leave = new FakeCloud({ config: { leaveDisabled: true } }).start();
    leave.powerLoss('compute-1', 100 * S);
    leave.run(15 * MIN);
    expect(leave.host('compute-1')).toMatchObject({ forcedDown: true, status: 'disabled' });
    expect(leave.host('compute-1').disabledReason).toMatch(/^instanceha evacuation complete: /);
    const force = new FakeCloud({ rebuildMs: 10 * MIN, config: { forceEnable: true } }).start();
    force.powerLoss('compute-1', 100 * S);
    force.run(8 * MIN);
    const forcedUp = force.events('rhoso.reenable.forced-up', 'compute-1')[0]?.at as number;
    expect(forcedUp).toBeLessThan(Math.min(...force.evacuateCalls.map((c) => c.at)) + 10 * MIN);
  });
});
