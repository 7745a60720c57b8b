/**
 * A small in-memory `NovaControl` for API tests: three computes and a controller, four servers, two flavors,
 * one image, with Nova's refusals (evacuate: 404 unknown server/target host, 409 bad vm_state/task_state,
 * 400 while the source compute service is up; force-up: 400 while `done` evacuations remain). Writes that are
 * refused change nothing. Time is a plain number the test advances (`nowMs`).
 */
import {
  NovaApiError,
  type AggregateRecord,
  type EvacuateRequest,
  type FlavorRecord,
  type HypervisorRecord,
  type ImageRecord,
  type InstanceRecord,
  type MigrationRecord,
  type NovaControl,
  type ServerGroupRecord,
  type ServiceRecord,
} from '../../sim/nova/records.js';

interface FakeService {
  id: number;
  uuid: string;
  binary: ServiceRecord['binary'];
  host: string;
  zone: string;
  disabled: boolean;
  disabledReason: string | null;
  forcedDown: boolean;
  /** Heartbeat alive (false: nova-compute stopped or host dead, stale after `serviceDownTimeMs`). */
  alive: boolean;
  lastSeenUpMs: number;
  updatedAtMs: number;
}

export const IMAGE_ID = '70a599e0-31e7-49b7-b260-868f441e862b';
export const SERVER_IDS = {
  vm1: '8e0f5b1e-0c1a-4d7e-9a51-000000000001',
  vm2: '8e0f5b1e-0c1a-4d7e-9a51-000000000002',
  vm3: '8e0f5b1e-0c1a-4d7e-9a51-000000000003',
  vm4: '8e0f5b1e-0c1a-4d7e-9a51-000000000004',
} as const;

function svc(id: number, binary: FakeService['binary'], host: string, zone: string): FakeService {
  const hex = id.toString(16).padStart(12, '0');
  return { id, uuid: `5a0c1d2e-3f40-4a5b-8c6d-${hex}`, binary, host, zone, disabled: false, disabledReason: null, forcedDown: false, alive: true, lastSeenUpMs: 0, updatedAtMs: 0 };
}

type Seed = Pick<InstanceRecord, 'uuid' | 'name' | 'projectId' | 'userId' | 'flavor' | 'host' | 'vmState' | 'taskState' | 'powerState'>;

function instance(seed: Seed, createdAtMs: number): InstanceRecord {
  return { ...seed, image: IMAGE_ID, az: 'nova', requestedAz: null, metadata: {}, tags: [], storage: 'shared', serverGroup: null, createdAtMs, updatedAtMs: createdAtMs };
}

export class FakeNova implements NovaControl {
  nowMs = 0;
  serviceDownTimeMs = 60_000;
  /** Successful writes so far (a refused write must not bump it). */
  writes = 0;
  private readonly svcs: FakeService[] = [
    svc(1, 'nova-scheduler', 'controller-0', 'internal'),
    svc(2, 'nova-conductor', 'controller-0', 'internal'),
    svc(3, 'nova-compute', 'compute-0', 'nova'),
    svc(4, 'nova-compute', 'compute-1', 'nova'),
    svc(5, 'nova-compute', 'compute-2', 'nova'),
  ];
  private readonly servers: InstanceRecord[] = [
    instance({ uuid: SERVER_IDS.vm1, name: 'vm-1', projectId: 'p-admin', userId: 'u-admin', flavor: '1', host: 'compute-0', vmState: 'active', taskState: null, powerState: 1 }, 1000),
    instance({ uuid: SERVER_IDS.vm2, name: 'vm-2', projectId: 'p-demo', userId: 'u-demo', flavor: '2', host: 'compute-0', vmState: 'active', taskState: null, powerState: 1 }, 2000),
    instance({ uuid: SERVER_IDS.vm3, name: 'vm-3', projectId: 'p-admin', userId: 'u-admin', flavor: '2', host: 'compute-1', vmState: 'stopped', taskState: null, powerState: 4 }, 3000),
    instance({ uuid: SERVER_IDS.vm4, name: 'web-4', projectId: 'p-admin', userId: 'u-admin', flavor: '2', host: 'compute-2', vmState: 'paused', taskState: null, powerState: 3 }, 4000),
  ];
  private readonly migs: MigrationRecord[] = [];
  private readonly flavorList: FlavorRecord[] = [
    { id: '1', name: 'm1.tiny', vcpus: 1, ramMb: 512, diskGb: 1, extraSpecs: {} },
    { id: '2', name: 'm1.small', vcpus: 1, ramMb: 2048, diskGb: 20, extraSpecs: { evacuable: 'true', 'hw:watchdog_action': 'reset' } },
  ];
  private readonly imageList: ImageRecord[] = [
    { id: IMAGE_ID, name: 'cirros', sizeMb: 12.6, properties: { hw_watchdog_action: 'poweroff', hw_qemu_guest_agent: 'yes' }, tags: ['evacuable'] },
  ];

  /** Stop or restart a host's nova-compute heartbeat (the service turns `down` once stale). */
  setAlive(host: string, alive: boolean): void {
    for (const s of this.svcs.filter((x) => x.host === host)) {
      if (s.alive && !alive) s.lastSeenUpMs = this.nowMs;
      s.alive = alive;
    }
  }

  /** The source compute restarted: its `done` evacuations become `completed` (Nova's `_destroy_evacuated_instances`). */
  completeEvacuations(host: string): void {
    for (const m of this.migs) {
      if (m.sourceCompute === host && ['accepted', 'pre-migrating', 'done'].includes(m.status)) {
        m.status = 'completed';
        m.updatedAtMs = this.nowMs;
      }
    }
  }

  /** Everything observable, for "the world did not change" assertions. */
  snapshot(): string {
    return JSON.stringify({ s: this.svcs, i: this.servers, m: this.migs, w: this.writes });
  }

  services(filter: { host?: string; binary?: string } = {}): ServiceRecord[] {
    return this.svcs
      .filter((s) => (!filter.host || s.host === filter.host) && (!filter.binary || s.binary === filter.binary))
      .map((s) => this.record(s));
  }

  forceDown(host: string, binary: string, forcedDown: boolean): ServiceRecord {
    const s = this.byHostBinary(host, binary);
    if (!forcedDown) this.checkNoDoneEvacuations(host);
    return this.write(s, () => (s.forcedDown = forcedDown));
  }

  disable(host: string, binary: string, reason?: string): ServiceRecord {
    const s = this.byHostBinary(host, binary);
    return this.write(s, () => {
      s.disabled = true;
      s.disabledReason = reason ?? null;
    });
  }

  enable(host: string, binary: string): ServiceRecord {
    const s = this.byHostBinary(host, binary);
    return this.write(s, () => {
      s.disabled = false;
      s.disabledReason = null;
    });
  }

  updateService(uuid: string, change: { status?: 'enabled' | 'disabled'; disabledReason?: string; forcedDown?: boolean }): ServiceRecord {
    const s = this.svcs.find((x) => x.uuid === uuid);
    if (!s) throw new NovaApiError(404, `Service ${uuid} could not be found.`);
    if (change.forcedDown === false) this.checkNoDoneEvacuations(s.host);
    return this.write(s, () => {
      if (change.status) s.disabled = change.status === 'disabled';
      if (change.status) s.disabledReason = change.status === 'disabled' ? (change.disabledReason ?? null) : null;
      if (change.forcedDown !== undefined) s.forcedDown = change.forcedDown;
    });
  }

  hypervisors(): HypervisorRecord[] {
    return this.svcs
      .filter((s) => s.binary === 'nova-compute')
      .map((s, i) => {
        const vms = this.servers.filter((x) => x.host === s.host);
        const rec = this.record(s);
        return { id: i + 1, uuid: `c0ffee00-0000-4000-8000-${String(i + 1).padStart(12, '0')}`, hostname: s.host, state: rec.state, status: rec.status, vcpus: 8, vcpusUsed: vms.length, memoryMb: 16384, memoryMbUsed: 512 * vms.length, localGb: 100, localGbUsed: 10 * vms.length, runningVms: vms.length };
      });
  }

  instances(filter: { host?: string; name?: string; projectId?: string } = {}): InstanceRecord[] {
    return this.servers
      .filter((i) => (!filter.host || i.host === filter.host) && (!filter.name || i.name === filter.name) && (!filter.projectId || i.projectId === filter.projectId))
      .map((i) => structuredClone(i));
  }

  instance(uuid: string): InstanceRecord | undefined {
    const i = this.servers.find((x) => x.uuid === uuid);
    return i ? structuredClone(i) : undefined;
  }

  /** Servers a crash dump was triggered in, in order. */
  readonly crashDumps: string[] = [];

  triggerCrashDump(uuid: string): void {
    const i = this.servers.find((x) => x.uuid === uuid);
    if (!i) throw new NovaApiError(404, `Instance ${uuid} could not be found.`);
    if (!['active', 'paused', 'error'].includes(i.vmState)) throw new NovaApiError(409, `Cannot 'trigger_crash_dump' instance ${uuid} while it is in vm_state ${i.vmState}`);
    if (i.taskState !== null) throw new NovaApiError(409, `Cannot 'trigger_crash_dump' instance ${uuid} while it is in task_state ${i.taskState}`);
    this.crashDumps.push(uuid);
  }

  evacuate(uuid: string, request: EvacuateRequest): { migrationUuid: string } {
    const i = this.servers.find((x) => x.uuid === uuid);
    if (!i) throw new NovaApiError(404, `Instance ${uuid} could not be found.`);
    const target = this.evacuationTarget(i, request);
    const migration: MigrationRecord = {
      id: this.migs.length + 1,
      uuid: `a1b2c3d4-0000-4000-8000-${String(this.migs.length + 1).padStart(12, '0')}`,
      instanceUuid: i.uuid,
      migrationType: 'evacuation',
      sourceCompute: i.host ?? '',
      destCompute: target,
      status: 'done',
      createdAtMs: this.nowMs,
      updatedAtMs: this.nowMs,
    };
    this.migs.push(migration);
    i.host = target;
    i.updatedAtMs = this.nowMs;
    this.writes += 1;
    return { migrationUuid: migration.uuid };
  }

  migrations(filter: { host?: string; status?: string; instanceUuid?: string; sourceCompute?: string; migrationType?: string } = {}): MigrationRecord[] {
    return this.migs
      .filter((m) => !filter.host || m.sourceCompute === filter.host || m.destCompute === filter.host)
      .filter((m) => (!filter.status || m.status === filter.status) && (!filter.instanceUuid || m.instanceUuid === filter.instanceUuid))
      .filter((m) => (!filter.sourceCompute || m.sourceCompute === filter.sourceCompute) && (!filter.migrationType || m.migrationType === filter.migrationType))
      .map((m) => ({ ...m }));
  }

  flavors(): FlavorRecord[] {
    return this.flavorList.map((f) => structuredClone(f));
  }

  images(): ImageRecord[] {
    return this.imageList.map((i) => structuredClone(i));
  }

  aggregates(): AggregateRecord[] {
    return [{ id: 1, name: 'rack1', az: null, hosts: ['compute-0', 'compute-1'], metadata: { rack: 'r1' } }];
  }

  serverGroups(): ServerGroupRecord[] {
    return [{ id: '9b1c6a1e-7d7e-4c55-9d1b-5e0f0f0f0001', name: 'ha-group', policy: 'anti-affinity', members: [SERVER_IDS.vm1] }];
  }

  availabilityZones(): { name: string; hosts: string[]; available: boolean }[] {
    return [{ name: 'nova', hosts: this.svcs.filter((s) => s.binary === 'nova-compute').map((s) => s.host), available: true }];
  }

  private record(s: FakeService): ServiceRecord {
    const stale = !s.alive && this.nowMs - s.lastSeenUpMs > this.serviceDownTimeMs;
    const lastSeen = s.alive ? this.nowMs : s.lastSeenUpMs;
    return { id: s.id, uuid: s.uuid, binary: s.binary, host: s.host, zone: s.zone, status: s.disabled ? 'disabled' : 'enabled', disabledReason: s.disabledReason, forcedDown: s.forcedDown, state: s.forcedDown || stale ? 'down' : 'up', lastSeenUpMs: lastSeen, updatedAtMs: s.updatedAtMs };
  }

  private write(s: FakeService, change: () => void): ServiceRecord {
    change();
    s.updatedAtMs = this.nowMs;
    this.writes += 1;
    return this.record(s);
  }

  private byHostBinary(host: string, binary: string): FakeService {
    const s = this.svcs.find((x) => x.host === host && x.binary === binary);
    if (!s) throw new NovaApiError(404, `Could not find binary ${binary} on host ${host}.`);
    return s;
  }

  private checkNoDoneEvacuations(host: string): void {
    if (this.migs.some((m) => m.sourceCompute === host && m.status === 'done')) {
      throw new NovaApiError(400, `Unable to force up host ${host} as \`done\` evacuation migration records remain associated with the host. Ensure the compute service has been restarted, allowing these records to move to \`completed\` before retrying this request.`);
    }
  }

  private computeUp(host: string): FakeService | undefined {
    const s = this.svcs.find((x) => x.host === host && x.binary === 'nova-compute');
    return s && this.record(s).state === 'up' ? s : undefined;
  }

  /** Nova's API-side checks, in its order; returns the destination host. */
  private evacuationTarget(i: InstanceRecord, request: EvacuateRequest): string {
    const target = request.host;
    if (target !== undefined && !this.svcs.some((s) => s.host === target && s.binary === 'nova-compute')) {
      throw new NovaApiError(404, `Compute host ${target} not found.`);
    }
    if (target !== undefined && target === i.host) throw new NovaApiError(400, "The target host can't be the same one.");
    if (!['active', 'stopped', 'error'].includes(i.vmState)) throw new NovaApiError(409, `Cannot 'evacuate' instance ${i.uuid} while it is in vm_state ${i.vmState}`);
    if (i.taskState !== null) throw new NovaApiError(409, `Cannot 'evacuate' instance ${i.uuid} while it is in task_state ${i.taskState}`);
    if (i.host && this.computeUp(i.host)) throw new NovaApiError(400, `Compute service of ${i.host} is still in use.`);
    if (target !== undefined) return target;
    const candidate = this.svcs.find((s) => s.binary === 'nova-compute' && s.host !== i.host && !s.disabled && this.computeUp(s.host));
    if (!candidate) throw new NovaApiError(400, `No valid host was found. There are not enough hosts available.`);
    return candidate.host;
  }
}
