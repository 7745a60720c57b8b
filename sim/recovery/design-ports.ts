import type { Dist } from '../kernel/dist-types.js';
import type { Op } from '../kernel/process.js';
import type {
  AggregateRecord, EvacuateRequest, FlavorRecord, HypervisorRecord, ImageRecord, InstanceRecord, MigrationRecord,
  ServiceRecord,
} from '../nova/records.js';
import type { AttrdPort, FenceResult, NotifierPort } from './ports.js';

/**
 * The ports a recovery design is given (README "Recovery designs"). Shaped like the real APIs, with their
 * refusals: every Nova call may throw NovaApiError (sim/recovery/nova-api-error.ts: 400 force-up while `done` migrations exist, 409 locked or
 * in a bad state, 5xx and timeouts under the `nova-api-*` faults). Simulated adapters live in sim/adapters/.
 */
export interface DesignPorts {
  nova: NovaAdminPort;
  /** Plain BMC commands (`ipmitool … power off|on|status`, Redfish Reset/PowerState), each one try. */
  bmc: BmcPort;
  /** Fence-agent semantics (act, then poll until it holds): what Pacemaker's power device and operators run. */
  fenceAgent: { fence(host: string, action: 'off' | 'on' | 'reboot', deadlineMs?: number): Op<FenceResult> };
  /** Present only for designs whose capabilities give them a Pacemaker cluster. */
  cluster?: ClusterPort;
  notifier: NotifierPort;
  clock: ClockPort;
  /** Deterministic draws for the design's own randomness (Masakari's 0–5 s notification delay…). */
  random: RandomPort;
  /** Run a process of the design somewhere; it dies with its place (a controller, a compute, or `external`). */
  spawn(name: string, where: ProcessPlace, op: Op<unknown>): void;
  /** Processes of this design still running under `name` (to avoid starting a second copy). */
  running(name: string): number;
  lifecycle: LifecyclePort;
  /** Structured line into the trace (sim) or pino (live). */
  log(type: string, entity: string, fields?: Record<string, unknown>): void;
  /** The design's catalogued defects that are switched on (`--defect`), by name. */
  hasDefect(name: string): boolean;
}

/**
 * `controller`: a cluster resource on that controller (stops when it loses quorum or dies); `host`: a daemon on
 * a compute (Masakari's host monitor on every cluster node); `external`: outside the cluster (RHOSO's poller
 * pod, an operator).
 */
export type ProcessPlace = { controller: string } | { host: string } | 'external';

export interface ServiceFilter {
  host?: string;
  binary?: 'nova-compute' | 'nova-scheduler' | 'nova-conductor';
}

export interface MigrationFilter {
  sourceCompute?: string;
  status?: string;
  instanceUuid?: string;
  migrationType?: 'evacuation' | 'live-migration' | 'migration' | 'resize';
  /** `changes-since` (microversion 2.59): rows updated at or after this time. */
  changesSinceMs?: number;
}

/** Nova as an admin sees it (the calls Masakari and RHOSO InstanceHA make, microversions 2.53 / 2.73). */
export interface NovaAdminPort {
  services(filter?: ServiceFilter): Op<ServiceRecord[]>;
  /**
   * `services` for the host's nova-compute, again `gapMs` after each answer, until it reads down and disabled (true)
   * or an answer comes at or after `deadlineMs` (false). Each read is a services call and raises as one. The loop
   * of fence_compute `set_power_status_off` once force-down failed; a port of its own so that the simulator can
   * run it without an event per call while the answer cannot change.
   */
  pollUntilServiceOff(host: string, gapMs: number, deadlineMs: number): Op<boolean>;
  forceDown(host: string, forcedDown: boolean): Op<ServiceRecord>;
  disable(host: string, reason: string): Op<ServiceRecord>;
  enable(host: string): Op<ServiceRecord>;
  /** `GET /servers/detail?all_tenants=1&host=H` (any state). */
  servers(host: string): Op<InstanceRecord[]>;
  /** `GET /servers/{id}`: hypervisor, vm_state, task_state, locked. */
  server(uuid: string): Op<InstanceRecord>;
  /** No `host`: the scheduler picks. */
  evacuate(uuid: string, request: EvacuateRequest): Op<{ migrationUuid: string }>;
  lock(uuid: string, reason?: string): Op<void>;
  unlock(uuid: string): Op<void>;
  /** `os-resetState`: `error` or `active`; clears task_state. */
  resetState(uuid: string, state: 'error' | 'active'): Op<void>;
  /** `os-stop`. */
  stop(uuid: string): Op<void>;
  migrations(filter: MigrationFilter): Op<MigrationRecord[]>;
  aggregates(): Op<AggregateRecord[]>;
  /** `POST /os-aggregates/{id}/action add_host`. */
  addHostToAggregate(aggregateId: number, host: string): Op<AggregateRecord>;
  flavors(): Op<FlavorRecord[]>;
  images(): Op<ImageRecord[]>;
  hypervisors(): Op<HypervisorRecord[]>;
}

export type BmcProtocol = 'ipmi' | 'redfish';

export type BmcReply =
  | { ok: true; power: 'on' | 'off' }
  /** `timeout`: no answer (a dead or unreachable BMC); `refused`: the BMC answered with an error (409, 0xd5…). */
  | { ok: false; error: 'timeout' | 'refused' | 'auth'; detail: string };

export interface BmcPort {
  /** `off`/`on` return the power state the BMC reports right after (it may still be changing). */
  power(host: string, action: 'off' | 'on' | 'status', options: { protocol: BmcProtocol; timeoutMs: number }): Op<BmcReply>;
}

/** A Pacemaker node's view, as `crm_mon -X` / `cibadmin --query` print it on `fromNode`. */
export interface ClusterView {
  /** The node could not reach the cluster (corosync down, isolated): the caller sees an error. */
  reachable: boolean;
  quorate: boolean;
  /** crmd state of `fromNode` (`S_IDLE`, `S_NOT_DC`, `S_TRANSITION_ENGINE`…). */
  dcState: string;
  nodes: readonly { name: string; remote: boolean; online: boolean }[];
}

export interface ClusterPort {
  view(fromNode: string): Op<ClusterView>;
  /**
   * The cluster manages `host`'s resources now (online, not unclean or fenced, its remote connection up): a
   * resource that runs on a remote node (nova-compute-wait) can start only then. Read at once, from the DC.
   */
  managesNode(host: string): boolean;
  attrd: AttrdPort;
  /** Ask the cluster to fence `host` from `dc` through its topology (Pacemaker instance HA's nodeFailed). */
  fence(host: string, dc: string): void;
  /** The controllers that currently act (quorate partition's DC first). */
  actingDcs(): readonly string[];
}

export interface ClockPort {
  now(): number;
  sleep(ms: number): Op<void>;
}

export interface RandomPort {
  /** A whole number uniformly in [min, max], from the design's own stream. */
  uniform(min: number, max: number): number;
  /** A draw from a scenario distribution (`config.*` durations), rounded to a whole number, from the same stream. */
  draw(dist: Dist): number;
}

export interface LifecyclePort {
  /** Let a booted host's nova-compute start (the end of unfencing). */
  releaseNovaCompute(host: string): void;
  /** nova-compute of `host` is held back until released. */
  novaComputeHeld(host: string): boolean;
  /** Names of the compute hosts (inventory order). */
  hosts(): readonly string[];
  /**
   * What a process running ON `host` knows of its own node (systemd, /proc): which boot this is, whether the node
   * is frozen, the state of its nova-compute unit. Only processes placed on the node may rely on it.
   */
  node(host: string): NodeFacts;
  /**
   * Nova's service record of `host` as its database holds it at this instant, without an API call: for hooks,
   * which run at an instant and cannot wait (a live adapter answers from its last poll).
   */
  serviceNow(host: string): ServiceRecord | undefined;
  /** The design has returned `host` to service (its unfencing is over): the host's incident closes in the reports. */
  recovered(host: string): void;
  /**
   * The design took `host` as failed (its own detection, outside Pacemaker): the detect milestone of the host's
   * open incident in the reports (the first call per incident counts). Designs whose detection is Pacemaker's need
   * not call it.
   */
  detected?(host: string): void;
}

export interface NodeFacts {
  /** Running an OS (booting, running or hung); false when off or crashed. */
  alive: boolean;
  /** `running`, `hung` (frozen: its processes make no progress), or anything else (off, booting, crashed). */
  state: string;
  /** Counts the node's boots: a different number is a different boot (what ran in the earlier one is gone). */
  bootCount: number;
  novaCompute: 'held' | 'stopped' | 'starting' | 'running';
}
