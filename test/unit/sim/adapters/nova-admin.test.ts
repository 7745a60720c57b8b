import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../../harness/scenario/index.js';
import { buildWorld } from '../../../../sim/build-world.js';
import { NovaApiError } from '../../../../sim/nova/records.js';
import type { World } from '../../../../sim/world.js';

const YAML = `ihasim: 1
name: nova-admin
duration: 30m
topology:
  controllers: 3
  computes:
    - { name: "compute-{1..3}", az: "az{1..3}", vcpus: 8, ramMb: 16384, diskGb: 400 }
  aggregates:
    reserved: { hosts: [compute-3], metadata: { availability_zone: az3 } }
    fast: { hosts: [compute-1], metadata: { ssd: "true" } }
flavors:
  m1: { vcpus: 1, ramMb: 1024, diskGb: 10 }
images:
  cirros: {}
servers:
  - { name: vm-1, flavor: m1, image: cirros, host: compute-1 }
  - { name: vm-2, flavor: m1, image: cirros, host: compute-2 }
recovery: { policy: external }
`;

function world(): World {
  return buildWorld(parseScenario(YAML, 'nova-admin.yaml'), { seed: 1 });
}

const uuidOf = (w: World, name: string): string => w.instancesByName.get(name)!.uuid;

function refusal(f: () => unknown): NovaApiError {
  try {
    f();
  } catch (err) {
    if (err instanceof NovaApiError) return err;
    throw err;
  }
  throw new Error('expected a NovaApiError');
}

describe('simulated Nova: the admin calls a recovery design makes (sim/nova/admin-actions.ts)', () => {
  it('GET /servers/{id} answers the record (host, vm_state, task_state, locked) and 404 for an unknown uuid', () => {
    const w = world();
    const rec = w.nova.server(uuidOf(w, 'vm-1'));
    expect(rec).toMatchObject({ name: 'vm-1', host: 'compute-1', vmState: 'active', taskState: null });
    expect(rec.locked ?? false).toBe(false);
    expect(refusal(() => w.nova.server('no-such-uuid')).status).toBe(404);
  });

  it('lock sets locked, locked_by=admin and the reason; unlock clears all three (compute/api.py API.lock / API.unlock)', () => {
    const w = world();
    const id = uuidOf(w, 'vm-1');
    w.nova.lock(id, 'masakari: recovering');
    expect(w.nova.server(id)).toMatchObject({ locked: true, lockedBy: 'admin', lockedReason: 'masakari: recovering' });
    w.nova.unlock(id);
    expect(w.nova.server(id)).toMatchObject({ locked: false, lockedBy: null, lockedReason: null });
  });

  it('a locked server refuses os-stop to a non-admin with 409; an admin passes (check_instance_lock)', () => {
    const w = world();
    const id = uuidOf(w, 'vm-1');
    w.nova.lock(id);
    expect(refusal(() => w.nova.stop(id, false)).status).toBe(409);
    w.nova.stop(id, true);
    expect(w.nova.server(id).taskState).toBe('powering-off');
  });

  it('a locked server is still evacuated by an admin (API.evacuate has no check_instance_lock)', () => {
    const w = world();
    const id = uuidOf(w, 'vm-1');
    w.nova.lock(id);
    w.nova.forceDown('compute-1', 'nova-compute', true);
    expect(w.nova.evacuate(id, {}).migrationUuid).toMatch(/-/);
  });

  it('os-resetState sets vm_state error|active and clears task_state (admin_actions.py _reset_state)', () => {
    const w = world();
    const id = uuidOf(w, 'vm-1');
    w.nova.forceDown('compute-1', 'nova-compute', true);
    w.nova.evacuate(id, {});
    expect(w.nova.server(id).taskState).toBe('rebuilding');
    w.nova.resetState(id, 'error');
    expect(w.nova.server(id)).toMatchObject({ vmState: 'error', taskState: null });
    w.nova.resetState(id, 'active');
    expect(w.nova.server(id)).toMatchObject({ vmState: 'active', taskState: null });
  });

  it('os-stop: powering-off, then stopped with power_state 4 and the guest gone once nova-compute stops it', () => {
    const w = world();
    const id = uuidOf(w, 'vm-2');
    w.nova.stop(id);
    expect(w.nova.server(id).taskState).toBe('powering-off');
    expect(refusal(() => w.nova.stop(id)).message).toContain("task_state powering-off");
    w.kernel.run(60_000);
    expect(w.nova.server(id)).toMatchObject({ vmState: 'stopped', taskState: null, powerState: 4 });
    expect(w.instancesByName.get('vm-2')!.domains).toHaveLength(0);
    expect(refusal(() => w.nova.stop(id)).message).toContain('vm_state stopped');
  });

  it('os-stop on a host whose nova-compute is down stays powering-off: the cast waits on the broker', () => {
    const w = world();
    const id = uuidOf(w, 'vm-2');
    w.hostEvent(w.hosts.get('compute-2')!, 'POWER_OFF');
    w.nova.stop(id);
    w.kernel.run(60_000);
    expect(w.nova.server(id).taskState).toBe('powering-off');
  });

  it('migrations filter by instance uuid, migration type and changes-since (db migration_get_all_by_filters)', () => {
    const w = world();
    w.nova.forceDown('compute-1', 'nova-compute', true);
    w.kernel.run(5_000);
    const id = uuidOf(w, 'vm-1');
    w.nova.evacuate(id, {});
    expect(w.nova.migrations({ instanceUuid: id })).toHaveLength(1);
    expect(w.nova.migrations({ instanceUuid: uuidOf(w, 'vm-2') })).toHaveLength(0);
    expect(w.nova.migrations({ migrationType: 'evacuation' })).toHaveLength(1);
    expect(w.nova.migrations({ migrationType: 'live-migration' })).toHaveLength(0);
    expect(w.nova.migrations({ changesSinceMs: 5_000 })).toHaveLength(1);
    expect(w.nova.migrations({ changesSinceMs: 5_001 })).toHaveLength(0);
  });

  it('add_host: the host joins the aggregate; again is 409, an unknown host or aggregate 404, another AZ 409', () => {
    const w = world();
    const fast = w.nova.aggregates().find((a) => a.name === 'fast')!;
    expect(w.nova.addHostToAggregate(fast.id, 'compute-2').hosts).toEqual(['compute-1', 'compute-2']);
    expect(w.nova.aggregates().find((a) => a.name === 'fast')!.hosts).toEqual(['compute-1', 'compute-2']);
    expect(w.aggregateMetadataOf(w.hosts.get('compute-2')!)).toEqual([{ ssd: 'true' }]);
    expect(refusal(() => w.nova.addHostToAggregate(fast.id, 'compute-2')).status).toBe(409);
    expect(refusal(() => w.nova.addHostToAggregate(fast.id, 'compute-9')).status).toBe(404);
    expect(refusal(() => w.nova.addHostToAggregate(99, 'compute-2')).status).toBe(404);
    const reserved = w.nova.aggregates().find((a) => a.name === 'reserved')!;
    expect(refusal(() => w.nova.addHostToAggregate(reserved.id, 'compute-1')).status).toBe(409);
  });

  it('services filter by host and binary', () => {
    const w = world();
    expect(w.nova.services({ host: 'compute-2' }).map((s) => s.binary)).toEqual(['nova-compute']);
    expect(w.nova.services({ binary: 'nova-compute' })).toHaveLength(3);
    expect(w.nova.services({ binary: 'nova-scheduler' })).toHaveLength(3);
  });
});
