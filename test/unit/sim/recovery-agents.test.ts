import { describe, expect, it } from 'vitest';
import type { Op } from '../../../sim/kernel/process.js';
import type { EvacuateRequest, InstanceRecord, ServiceRecord } from '../../../sim/nova/records.js';
import { fenceComputeOff } from '../../../sim/recovery/designs/pacemaker-instanceha/fence-compute.js';
import { fenceEvacuate, fenceEvacuateStatus } from '../../../sim/recovery/designs/pacemaker-instanceha/fence-evacuate.js';
import type { Ports } from '../../../sim/recovery/ports.js';
import type { RecoverySpec } from '../../../sim/scenario-spec.js';

/** Runs an Op to completion against fake ports: sleeps and call latencies only advance a clock. */
function drive<T>(op: Op<T>, clock: { now: number }): T {
  let step = op.next();
  while (!step.done) {
    const e = step.value;
    if (e.kind === 'sleep') { clock.now += e.ms; step = op.next(); }
    else if (e.kind === 'call') {
      clock.now += e.delayMs;
      try { step = op.next(e.perform()); } catch (err) { step = op.throw(err); }
    } else throw new Error(`unexpected effect ${e.kind}`);
  }
  return step.value;
}

function* value<T>(v: T): Op<T> {
  return v;
}

const service = (state: 'up' | 'down', status: 'enabled' | 'disabled'): ServiceRecord =>
  ({ state, status, forcedDown: false, host: 'compute-1', binary: 'nova-compute' } as ServiceRecord);

function fakePorts(svc: ServiceRecord, servers: Partial<InstanceRecord>[] = []) {
  const clock = { now: 0 };
  const attrd: [string, string][] = [];
  const evacuations: EvacuateRequest[] = [];
  const calls: string[] = [];
  const ports = {
    now: () => clock.now,
    log: () => {},
    attrd: { get: () => value(''), set: (_n: string, _k: string, v: string) => { attrd.push([_n, v]); return value(undefined); }, changed: () => value(undefined) },
    nova: {
      services: () => value([svc]),
      forceDown: () => { calls.push('force-down'); return value(svc); },
      disable: () => { calls.push('disable'); return value(svc); },
      enable: () => value(svc),
      servers: () => value(servers as InstanceRecord[]),
      evacuate: (_uuid: string, request: EvacuateRequest) => { evacuations.push(request); return value({ migrationUuid: 'm' }); },
      flavors: () => value([]),
      images: () => value([]),
      hypervisors: () => value([]),
      migrations: () => value([]),
    },
  } as unknown as Ports;
  return { ports, clock, attrd, evacuations, calls };
}

describe('fence_compute set_power_status_off (agents/compute/fence_compute.py, fence-agents ≥ 4.5.2)', () => {
  it('a host already off (down AND disabled) is left alone: no force-down, and evacuate=yes is NOT set', () => {
    const f = fakePorts(service('down', 'disabled'));
    const ok = drive(fenceComputeOff(f.ports, 'compute-1', { forceDown: true, agent: 'current', deadlineMs: 60_000 }), f.clock);
    expect(ok).toBe(true);
    expect(f.calls).toEqual([]);
    expect(f.attrd).toEqual([]);
  });

  it('otherwise force-down and disable, then evacuate=yes, with no wait for the power state', () => {
    const f = fakePorts(service('up', 'enabled'));
    expect(drive(fenceComputeOff(f.ports, 'compute-1', { forceDown: true, agent: 'current', deadlineMs: 60_000 }), f.clock)).toBe(true);
    expect(f.calls).toEqual(['force-down', 'disable']);
    expect(f.attrd).toEqual([['compute-1', 'yes']]);
  });
});

describe('fence_evacuate (agents/evacuate/fence_evacuate.py `main`, `_host_evacuate`)', () => {
  const recovery: RecoverySpec = { policy: 'instanceha', forceDown: true, instanceFilter: { kind: 'evacuable' }, sharedStorage: true, evacuateLocal: true };
  const servers = [
    { uuid: 'a', name: 'a', storage: 'shared', flavor: 'f', image: 'i', tags: [], metadata: {} },
    { uuid: 'b', name: 'b', storage: 'local', flavor: 'f', image: 'i', tags: [], metadata: {} },
  ] as Partial<InstanceRecord>[];

  it('one on_shared_storage flag for every server (from --no-shared-storage), not a per-instance choice', () => {
    const f = fakePorts(service('down', 'disabled'), servers);
    expect(drive(fenceEvacuate(f.ports, 'compute-1', recovery), f.clock)).toBe(true);
    expect(f.evacuations).toEqual([{ onSharedStorage: true }, { onSharedStorage: true }]);
  });

  it('-o status exits 0 on, 2 off, 1 for anything else (fencing.py fence_action: EC_STATUS)', () => {
    const rc = (svc: ServiceRecord) => { const f = fakePorts(svc); return drive(fenceEvacuateStatus(f.ports, 'compute-1'), f.clock); };
    expect(rc(service('up', 'enabled'))).toBe(0);
    expect(rc(service('down', 'disabled'))).toBe(2);
    expect(rc(service('down', 'enabled'))).toBe(1);
    expect(rc(service('up', 'disabled'))).toBe(1);
  });

  it('-o off refuses a host whose status is not off', () => {
    const f = fakePorts(service('down', 'enabled'), servers);
    expect(drive(fenceEvacuate(f.ports, 'compute-1', recovery), f.clock)).toBe(false);
    expect(f.evacuations).toEqual([]);
  });
});
