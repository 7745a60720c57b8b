/**
 * Nova's view as records shaped like Nova's objects (not its HTTP JSON: the API layer renders these).
 * Times are simulated ms since the run start; the serve layer converts them to ISO timestamps.
 */
export interface ServiceRecord {
  /** Integer id (microversions < 2.53). */
  id: number;
  /** UUID (microversions ≥ 2.53). */
  uuid: string;
  binary: 'nova-compute' | 'nova-scheduler' | 'nova-conductor';
  host: string;
  zone: string;
  status: 'enabled' | 'disabled';
  disabledReason: string | null;
  forcedDown: boolean;
  /** Derived: up iff not forced down and now - lastSeenUp ≤ service_down_time. */
  state: 'up' | 'down';
  lastSeenUpMs: number | null;
  /** Bumped by enable/disable/force-down too (that is LP#1420848's trap: liveness must not use it). */
  updatedAtMs: number;
}

export type VmState = 'active' | 'building' | 'stopped' | 'error' | 'paused' | 'deleted';
export type TaskState = null | 'rebuilding' | 'rebuild_spawning' | 'scheduling';

export interface InstanceRecord {
  uuid: string;
  name: string;
  projectId: string;
  userId: string;
  flavor: string;
  image: string;
  host: string | null;
  az: string | null;
  /** AZ the user asked for at boot (evacuations stay in it). */
  requestedAz: string | null;
  vmState: VmState;
  taskState: TaskState;
  /** Nova's power_state: 1 running, 3 paused, 4 shutdown, 0 nostate. */
  powerState: 0 | 1 | 3 | 4;
  metadata: Record<string, string>;
  /** User data given at boot, plain text (absent: none). */
  userData?: string;
  tags: string[];
  storage: 'shared' | 'volume' | 'local';
  serverGroup: string | null;
  createdAtMs: number;
  updatedAtMs: number;
}

export type MigrationStatus = 'accepted' | 'pre-migrating' | 'done' | 'completed' | 'error' | 'failed';

export interface MigrationRecord {
  id: number;
  uuid: string;
  instanceUuid: string;
  migrationType: 'evacuation';
  sourceCompute: string;
  destCompute: string | null;
  status: MigrationStatus;
  createdAtMs: number;
  updatedAtMs: number;
}

export interface HypervisorRecord {
  id: number;
  uuid: string;
  hostname: string;
  state: 'up' | 'down';
  status: 'enabled' | 'disabled';
  vcpus: number;
  vcpusUsed: number;
  memoryMb: number;
  memoryMbUsed: number;
  localGb: number;
  localGbUsed: number;
  runningVms: number;
}

export interface FlavorRecord {
  id: string;
  name: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
  extraSpecs: Record<string, string>;
}

export interface ImageRecord {
  id: string;
  name: string;
  sizeMb: number;
  properties: Record<string, string>;
  tags: string[];
}

export interface AggregateRecord {
  id: number;
  name: string;
  az: string | null;
  hosts: string[];
  metadata: Record<string, string>;
}

export interface ServerGroupRecord {
  id: string;
  name: string;
  policy: string;
  members: string[];
}

/** An API refusal with the status and message Nova gives (the HTTP layer renders Nova's error body). */
export class NovaApiError extends Error {
  readonly status: 400 | 403 | 404 | 409 | 500 | 503;
  constructor(status: NovaApiError['status'], message: string) {
    super(message);
    this.name = 'NovaApiError';
    this.status = status;
  }
}

export interface EvacuateRequest {
  /** Target host, or undefined to let the scheduler pick. */
  host?: string;
  /** Pre-2.14 `onSharedStorage`; ignored from 2.14 (Nova detects it). */
  onSharedStorage?: boolean;
  adminPass?: string;
  /** Microversion 2.29+: skip scheduler checks for the given host. */
  force?: boolean;
}

/**
 * Nova's API as the world answers it *now*: reads and the admin actions the recovery logic and the HTTP layer
 * use. Writes throw `NovaApiError` with Nova's status and message on refusal and change nothing then.
 */
export interface NovaControl {
  services(filter?: { host?: string; binary?: string }): ServiceRecord[];
  /** 2.11 form, by host and binary. */
  forceDown(host: string, binary: string, forcedDown: boolean): ServiceRecord;
  disable(host: string, binary: string, reason?: string): ServiceRecord;
  enable(host: string, binary: string): ServiceRecord;
  /** 2.53 form, by service uuid. */
  updateService(uuid: string, change: { status?: 'enabled' | 'disabled'; disabledReason?: string; forcedDown?: boolean }): ServiceRecord;
  hypervisors(): HypervisorRecord[];
  instances(filter?: { host?: string; name?: string; projectId?: string }): InstanceRecord[];
  instance(uuid: string): InstanceRecord | undefined;
  evacuate(uuid: string, request: EvacuateRequest): { migrationUuid: string };
  /** `trigger_crash_dump`: an NMI into the instance's domain on its host (checks first; 409 as Nova does). */
  triggerCrashDump(uuid: string): void;
  migrations(filter?: { host?: string; status?: string; instanceUuid?: string; sourceCompute?: string; migrationType?: string }): MigrationRecord[];
  flavors(): FlavorRecord[];
  images(): ImageRecord[];
  aggregates(): AggregateRecord[];
  serverGroups(): ServerGroupRecord[];
  availabilityZones(): { name: string; hosts: string[]; available: boolean }[];
}
