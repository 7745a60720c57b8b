/**
 * Faults at the seams of the recovery logic (scenarios/README.md "Faults"): the Nova API as the agents see it, the
 * message bus, Nova's conductor and scheduler, attrd and keystone. Each is judged by the ordinary invariants.
 */
import { describe, expect, it } from 'vitest';
import { events, run, scenario } from './faults-helpers.js';

const POWER_LOSS = '{ at: 2m, kind: host-power-loss, target: compute-2, duration: 6m }';
const firstAccept = (world: ReturnType<typeof run>['world']) => events(world, 'nova.evacuate.accepted')[0]!.t;

describe('nova-api-errors', () => {
  it('fails half the agent calls; fence_evacuate goes on past failures, NovaEvacuate retries, and all recover', () => {
    const { report, world } = run(scenario(['{ at: 1m50s, kind: nova-api-errors, rate: 0.5, duration: 5m }', POWER_LOSS]));
    expect(report.failures).toEqual([]);
    expect(events(world, 'nova-api.error').length).toBeGreaterThan(5);
    // Failed passes (rc 1) leave `evacuate=yes`, which the next monitor takes again.
    const passes = events(world, 'fence-evacuate.pass').concat(events(world, 'fence-evacuate.traceback'));
    expect(passes.length).toBeGreaterThan(1);
    expect(events(world, 'fence-evacuate.error').length + events(world, 'fence-evacuate.traceback').length).toBeGreaterThan(0);
    expect(report.instances.filter((i) => i.fromHost === 'compute-2').every((i) => i.outcome === 'recovered')).toBe(true);
  });

  it('at rate 1 nothing is evacuated until the API answers again', () => {
    const { report, world } = run(scenario(['{ at: 1m50s, kind: nova-api-errors, duration: 4m }', POWER_LOSS]));
    expect(report.failures).toEqual([]);
    expect(firstAccept(world)).toBeGreaterThanOrEqual(5 * 60_000 + 50_000);
    // fence_compute could not force the service down: the fencing operation failed and Pacemaker retried it.
    expect(events(world, 'fence-nova.traceback').length + events(world, 'fence-nova.force-down-failed').length).toBeGreaterThan(0);
  });
});

describe('nova-api-slow', () => {
  it('delays every agent call: the first evacuation is accepted later than without it', () => {
    const slow = run(scenario(['{ at: 1m, kind: nova-api-slow, latency: 20s, duration: 10m }', POWER_LOSS])).world;
    const fast = run(scenario([POWER_LOSS])).world;
    expect(firstAccept(slow) - firstAccept(fast)).toBeGreaterThanOrEqual(3 * 20_000);
  });
});

describe('keystone-token-expired', () => {
  it('costs the next call a re-authentication and nothing else', () => {
    const { report, world } = run(scenario(['{ at: 2m05s, kind: keystone-token-expired }', POWER_LOSS]));
    expect(report.failures).toEqual([]);
    expect(events(world, 'keystone.reauthenticate')).toHaveLength(1);
  });
});

describe('rebuild-rpc-lost', () => {
  it('drops the next rebuild cast: its migration stays accepted, the instance rebuilding, and nothing retries it', () => {
    const { report, world } = run(scenario(['{ at: 1m, kind: rebuild-rpc-lost }', POWER_LOSS]));
    const lost = report.instances.filter((i) => i.reason === 'rebuild-lost');
    expect(lost).toHaveLength(1);
    expect(report.violations.map((v) => v.invariant)).toEqual(['recovery-bounded']);
    const inst = world.instancesByName.get(lost[0]!.name)!;
    expect(world.nova.instance(inst.uuid)).toMatchObject({ taskState: 'rebuilding' });
    // `accepted` until the source's nova-compute starts again and `_destroy_evacuated_instances` completes it.
    expect(world.nova.migrations({ instanceUuid: inst.uuid }).map((m) => m.status)).toEqual(['completed']);
    expect(events(world, 'nova.evacuate.claimed').map((e) => e.entity)).not.toContain(inst.name);
  });

  it('with a duration drops every cast to its targets within the window', () => {
    const { report } = run(scenario(['{ at: 1m, kind: rebuild-rpc-lost, target: "compute-*", duration: 10m }', POWER_LOSS]));
    expect(report.instances.filter((i) => i.fromHost === 'compute-2').every((i) => i.reason === 'rebuild-lost')).toBe(true);
  });
});

describe('message-bus-cut', () => {
  const CUT = '{ at: 2m, kind: message-bus-cut, target: compute-3, duration: 5m }';

  it('makes Nova see the compute down while its guests run and Pacemaker sees it fine: instance HA does nothing', () => {
    const { report, world } = run(scenario([CUT]));
    expect(report.failures).toEqual([]);
    expect(events(world, 'pacemaker.fence.start')).toEqual([]);
    expect(world.nova.computeServices.get('compute-3')!.isUp(4 * 60_000)).toBe(false);
  });

  it('is the classic false fence for a design that evacuates on Nova\'s view alone (no-fence)', () => {
    const spec = scenario([CUT], { recovery: '{ policy: no-fence, instanceFilter: "tag:automatic-recovery" }', expect: ['invariants: all'] });
    const { report } = run(spec);
    expect(report.violations.map((v) => v.invariant)).toContain('no-double-run');
  });
});

describe('nova-conductor-down', () => {
  it('stops every compute\'s heartbeats being recorded; evacuations wait for the conductor', () => {
    const { world } = run(scenario(['{ at: 1m, kind: nova-conductor-down, duration: 4m }', POWER_LOSS]));
    for (const svc of world.nova.computeServices.values()) expect(svc.isUp(4 * 60_000)).toBe(false);
    expect(events(world, 'nova.evacuate.waits-for-conductor').length).toBeGreaterThan(0);
  });

  it('a finding: the conductor back takes the queued rebuilds before any compute has reported again, so NoValidHost', () => {
    const { report, world } = run(scenario(['{ at: 1m, kind: nova-conductor-down, duration: 4m }', POWER_LOSS]));
    const fromFailed = report.instances.filter((i) => i.fromHost === 'compute-2');
    expect(fromFailed.length).toBeGreaterThan(0);
    expect(fromFailed.every((i) => i.reason === 'no-capacity')).toBe(true);
    expect(events(world, 'nova.evacuate.error').every((e) => e.t === 5 * 60_000)).toBe(true);
  });

  it('a short outage that ends before the evacuations leaves recovery as it was', () => {
    const { report } = run(scenario(['{ at: 1m, kind: nova-conductor-down, duration: 30s }', POWER_LOSS]));
    expect(report.failures).toEqual([]);
  });
});

describe('nova-scheduler-down', () => {
  it('an evacuation scheduled during a long outage times out in the conductor: rebuild-lost', () => {
    const { report } = run(scenario(['{ at: 1m, kind: nova-scheduler-down, duration: 10m }', POWER_LOSS]));
    const fromFailed = report.instances.filter((i) => i.fromHost === 'compute-2');
    expect(fromFailed.length).toBeGreaterThan(0);
    expect(fromFailed.every((i) => i.reason === 'rebuild-lost')).toBe(true);
  });

  it('a scheduler back within rpc_response_timeout answers the queued calls', () => {
    const { report } = run(scenario(['{ at: 2m, kind: nova-scheduler-down, duration: 20s }', POWER_LOSS]));
    expect(report.failures).toEqual([]);
  });
});

describe('attrd-update-lost / attrd-delay', () => {
  it('a lost `evacuate=yes` leaves the fenced host\'s instances where they are: nothing evacuates them', () => {
    const { report, world } = run(scenario(['{ at: 1m, kind: attrd-update-lost, target: compute-2 }', POWER_LOSS]));
    expect(events(world, 'attrd.update-lost')).toMatchObject([{ entity: 'compute-2', name: 'evacuate', value: 'yes' }]);
    expect(events(world, 'nova.evacuate.accepted')).toEqual([]);
    expect(report.violations.length).toBeGreaterThan(0);
    expect(report.violations.every((v) => v.invariant === 'recovery-bounded' && /not-evacuated/.test(v.message))).toBe(true);
  });

  it('a delayed update delays the evacuation by as much', () => {
    const late = run(scenario(['{ at: 1m, kind: attrd-delay, latency: 1m, duration: 10m }', POWER_LOSS]));
    expect(late.report.failures).toEqual([]);
    expect(firstAccept(late.world) - firstAccept(run(scenario([POWER_LOSS])).world)).toBeGreaterThanOrEqual(60_000);
  });
});
