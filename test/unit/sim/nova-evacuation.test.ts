/**
 * Nova's evacuation as upstream runs it (openstack/nova `compute/api.py`, `compute/manager.py`,
 * `compute/resource_tracker.py`): the model must never be kinder than the real thing. Each test names the upstream
 * function it follows.
 */
import { describe, expect, it } from 'vitest';
import { outcomeOf } from '../../../harness/checkers/outcomes.js';
import { SafetyChecker } from '../../../harness/checkers/safety.js';
import { INVARIANT_LIST } from '../../../harness/checkers/invariant-list.js';
import { parseScenario } from '../../../harness/scenario/index.js';
import { buildWorld } from '../../../sim/build-world.js';
import { injectFault } from '../../../sim/faults/inject.js';
import type { NovaRelease } from '../../../sim/nova/release.js';
import { NovaApiError } from '../../../sim/nova/records.js';
import type { World } from '../../../sim/world.js';

const yaml = (release: NovaRelease): string => `ihasim: 1
name: nova-evacuation
description: Instances pinned to compute-01; nothing recovers by itself (the test drives Nova).
duration: 2h
topology:
  controllers: 3
  computes:
    - { name: "compute-{01..06}", vcpus: 16, ramMb: 65536, diskGb: 1000 }
flavors:
  m1.small: { vcpus: 1, ramMb: 2048, diskGb: 20 }
images:
  cirros: {}
servers:
  - { name: "ha-01", flavor: m1.small, image: cirros, host: compute-01, storage: shared }
  - { name: "loc-01", flavor: m1.small, image: cirros, host: compute-01, storage: local }
config:
  nova: { release: "${release}" }
recovery: { policy: external }
`;

function setup(release: NovaRelease): { world: World; safety: SafetyChecker } {
  const safety = new SafetyChecker(new Set(INVARIANT_LIST));
  const world = buildWorld(parseScenario(yaml(release), 'nova-evacuation.yaml'), { seed: 7, probe: safety });
  safety.attach(world);
  world.kernel.run(60_000);
  return { world, safety };
}

const at = (pool: string[]) => ({ pool, text: pool.join(',') });
function fault(world: World, kind: string, host: string): void {
  injectFault(world, { atMs: world.kernel.now, kind, target: at([host]) } as Parameters<typeof injectFault>[1]);
}
const advance = (world: World, ms: number): void => void world.kernel.run(world.kernel.now + ms);
const inst = (world: World, name: string) => world.instancesByName.get(name)!;
const migration = (world: World, uuid: string) => world.nova.migrations().find((m) => m.uuid === uuid)!;
const executingOn = (world: World, name: string) => inst(world, name).domains.filter((d) => d.executing).map((d) => d.host.name).sort();

/** compute-01 loses power and is forced down: its instances may be evacuated. */
function sourceDown(world: World): void {
  fault(world, 'host-power-loss', 'compute-01');
  world.nova.forceDown('compute-01', 'nova-compute', true);
}

describe('C1: the instance moves in resource_tracker.finish_evacuation, after the spawn', () => {
  it('at the claim (_claim_existing_migration) only the migration changes; host and `done` move together after the spawn', () => {
    const { world } = setup('2025.1');
    sourceDown(world);
    const ha = inst(world, 'ha-01');
    const { migrationUuid } = world.nova.evacuate(ha.uuid, { host: 'compute-05' });
    advance(world, 1);
    expect(migration(world, migrationUuid)).toMatchObject({ status: 'pre-migrating', destCompute: 'compute-05' });
    expect(world.nova.instance(ha.uuid)).toMatchObject({ host: 'compute-01', taskState: 'rebuilding', vmState: 'active' });
    expect(world.nova.instances({ host: 'compute-01' }).map((i) => i.name)).toContain('ha-01');
    advance(world, 10_000);
    expect(migration(world, migrationUuid).status).toBe('done');
    expect(world.nova.instance(ha.uuid)).toMatchObject({ host: 'compute-05', taskState: null, vmState: 'active' });
    expect(executingOn(world, 'ha-01')).toEqual(['compute-05']);
  });

  it('zed and later (compute/api.py API.evacuate, task_state=None): a second evacuate during the first rebuild is accepted, and both guests run', () => {
    const { world, safety } = setup('2024.1');
    sourceDown(world);
    const loc = inst(world, 'loc-01');
    const first = world.nova.evacuate(loc.uuid, { host: 'compute-05' }).migrationUuid;
    // rebuildPrep is 2–6 s and the image download 5–30 s: at 6.5 s the first rebuild is inside driver.spawn.
    advance(world, 6_500);
    const second = world.nova.evacuate(loc.uuid, { host: 'compute-06' }).migrationUuid;
    advance(world, 120_000);
    expect(executingOn(world, 'loc-01')).toEqual(['compute-05', 'compute-06']);
    expect(safety.violations.some((v) => v.invariant === 'no-double-run' && v.entities[0] === 'loc-01')).toBe(true);
    // The first rebuild's final save (expected_task_state=[REBUILD_SPAWNING]) failed: errored out, its guest left running.
    expect(migration(world, first).status).toBe('failed');
    expect(migration(world, second).status).toBe('done');
    expect(world.nova.instance(loc.uuid)!.host).toBe('compute-06');
  });

  it('before zed (check_instance_state with task_state (None,)): the second evacuate is refused with 409', () => {
    const { world } = setup('wallaby');
    sourceDown(world);
    const ha = inst(world, 'ha-01');
    world.nova.evacuate(ha.uuid, { host: 'compute-05' });
    advance(world, 1);
    let refusal: unknown;
    try {
      world.nova.evacuate(ha.uuid, { host: 'compute-06' });
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(NovaApiError);
    expect(refusal).toMatchObject({ status: 409, message: `Cannot 'evacuate' instance ${ha.uuid} while it is in task_state rebuilding` });
    expect(world.nova.migrations({ instanceUuid: ha.uuid })).toHaveLength(1);
  });

  it('a queued rebuild that finds task_state no longer rebuilding errors the instance out (_error_out_instance_on_exception)', () => {
    const { world } = setup('2025.1');
    // compute-05's nova-compute crashes: Nova still believes it up for service_down_time, so it can be a target.
    fault(world, 'nova-compute-crash', 'compute-05');
    sourceDown(world);
    const ha = inst(world, 'ha-01');
    const stale = world.nova.evacuate(ha.uuid, { host: 'compute-05' }).migrationUuid;
    advance(world, 1_000);
    expect(migration(world, stale).status).toBe('accepted');
    const fresh = world.nova.evacuate(ha.uuid, { host: 'compute-06' }).migrationUuid;
    advance(world, 30_000);
    expect(migration(world, fresh).status).toBe('done');
    fault(world, 'nova-compute-start', 'compute-05');
    advance(world, 60_000);
    // instance.save(expected_task_state=[REBUILDING]) raised UnexpectedTaskStateError on compute-05.
    expect(migration(world, stale).status).toBe('failed');
    expect(world.nova.instance(ha.uuid)).toMatchObject({ host: 'compute-06', vmState: 'error' });
    expect(executingOn(world, 'ha-01')).toEqual(['compute-06']);
  });
});

describe('C2: a destination that dies mid-rebuild (ComputeManager.rebuild_instance) — nothing writes failed', () => {
  it('a consumed rebuild dies with its nova-compute: pre-migrating, rebuilding on the source, reason rebuild-lost', () => {
    const { world, safety } = setup('2025.1');
    sourceDown(world);
    const ha = inst(world, 'ha-01');
    const { migrationUuid } = world.nova.evacuate(ha.uuid, { host: 'compute-05' });
    advance(world, 1);
    fault(world, 'host-power-loss', 'compute-05');
    advance(world, 30 * 60_000);
    expect(migration(world, migrationUuid).status).toBe('pre-migrating');
    expect(world.nova.instance(ha.uuid)).toMatchObject({ host: 'compute-01', vmState: 'active', taskState: 'rebuilding' });
    expect(executingOn(world, 'ha-01')).toEqual([]);
    expect(outcomeOf(world, ha, safety)).toMatchObject({ outcome: 'not-recovered', reason: 'rebuild-lost' });
  });

  it('a rebuild cast to a dead destination waits on the broker (accepted) and runs when its nova-compute starts', () => {
    const { world, safety } = setup('2025.1');
    fault(world, 'host-power-loss', 'compute-05');
    sourceDown(world);
    const ha = inst(world, 'ha-01');
    const { migrationUuid } = world.nova.evacuate(ha.uuid, { host: 'compute-05' });
    advance(world, 5 * 60_000);
    expect(migration(world, migrationUuid).status).toBe('accepted');
    expect(outcomeOf(world, ha, safety).reason).toBe('rebuild-queued-on-dead-host');
    fault(world, 'power-restore', 'compute-05');
    advance(world, 10 * 60_000);
    expect(migration(world, migrationUuid).status).toBe('done');
    expect(executingOn(world, 'ha-01')).toEqual(['compute-05']);
  });
});

describe('rebuild casts wait on the broker while the destination cannot take them (oslo.messaging queue compute.<host>)', () => {
  it('a destination cut from the controllers takes the rebuild when it reconnects (accepted until then)', () => {
    const { world } = setup('2025.1');
    injectFault(world, { atMs: world.kernel.now, kind: 'nic-down', network: 'mgmt', target: at(['compute-05']) } as Parameters<typeof injectFault>[1]);
    sourceDown(world);
    const ha = inst(world, 'ha-01');
    const { migrationUuid } = world.nova.evacuate(ha.uuid, { host: 'compute-05' });
    advance(world, 20_000);
    expect(migration(world, migrationUuid).status).toBe('accepted');
    injectFault(world, { atMs: world.kernel.now, kind: 'nic-up', network: 'mgmt', target: at(['compute-05']) } as Parameters<typeof injectFault>[1]);
    advance(world, 10_000);
    expect(migration(world, migrationUuid).status).toBe('done');
    expect(executingOn(world, 'ha-01')).toEqual(['compute-05']);
  });
});

/** ha-01 evacuated from compute-01 without force-down (Nova saw the service down): a `done` row remains. */
function doneEvacuation(release: NovaRelease): World {
  const { world } = setup(release);
  fault(world, 'host-power-loss', 'compute-01');
  advance(world, 90_000);
  world.nova.evacuate(inst(world, 'ha-01').uuid, {});
  advance(world, 30_000);
  expect(world.nova.migrations({ sourceCompute: 'compute-01' })[0]!.status).toBe('done');
  return world;
}

const refused = (fn: () => unknown): NovaApiError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof NovaApiError) return err;
    throw err;
  }
  throw new Error('not refused');
};

describe('C4: services.py ServiceController._check_for_evacuations on every forced_down=false', () => {
  it('refuses a force-up (2.11 force-down path) even when the service is not forced down', () => {
    const world = doneEvacuation('2025.1');
    expect(world.nova.computeServices.get('compute-01')!.forcedDown).toBe(false);
    const err = refused(() => world.nova.forceDown('compute-01', 'nova-compute', false));
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/^Unable to force up host compute-01 as `done` evacuation migration records remain associated with the host/);
  });

  it('refuses a 2.53 body that enables and forces up as a whole: nothing is saved', () => {
    const world = doneEvacuation('2025.1');
    world.nova.disable('compute-01', 'nova-compute', 'maintenance');
    const svc = world.nova.computeServices.get('compute-01')!;
    expect(refused(() => world.nova.updateService(svc.uuid, { status: 'enabled', forcedDown: false })).status).toBe(400);
    expect(svc.status).toBe('disabled');
    expect(svc.disabledReason).toBe('maintenance');
  });

  it('before xena (24.0.0) the force-up is never refused', () => {
    const world = doneEvacuation('wallaby');
    world.nova.forceDown('compute-01', 'nova-compute', true);
    expect(world.nova.forceDown('compute-01', 'nova-compute', false).forcedDown).toBe(false);
  });
});
