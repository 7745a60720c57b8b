import type { SimConfig } from './config.js';
import type { Dist } from './kernel/dist-types.js';

/**
 * A scenario after loading: validated, defaults filled, brace ranges expanded, durations in ms, targets
 * resolved to entity names. The simulator consumes only this; `harness/scenario` produces it from YAML.
 */
export interface ScenarioSpec {
  name: string;
  description: string;
  /** Simulated time the run lasts. */
  durationMs: number;
  seed: number;
  /** Path of the file it came from (for replay commands), if any. */
  file?: string;
  topology: TopologySpec;
  flavors: Record<string, FlavorSpec>;
  images: Record<string, ImageSpec>;
  servers: ServerSpec[];
  serverGroups: Record<string, ServerGroupSpec>;
  config: SimConfig;
  recovery: RecoverySpec;
  faults: FaultSpec[];
  expect: ExpectSpec;
  /** The fault space of `ihasim check`, defaults filled. */
  check: CheckSpec;
}

/** Where and what `ihasim check` may inject (the scenario's `check:` block, resolved). */
export interface CheckSpec {
  kinds: FaultKind[];
  hosts: string[];
  controllers: string[];
  servers: string[];
  windowMs: [number, number];
  maxFaults: number;
  maxConcurrent: number;
  maxDurationMs: number;
  gridMs: number;
  recoveryBoundMs: number;
}

export interface TopologySpec {
  /** Controllers are named `controller-1..N`. */
  controllers: number;
  computes: ComputeSpec[];
  aggregates: Record<string, AggregateSpec>;
}

export interface ComputeSpec {
  name: string;
  az: string;
  rack: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
  bmc: BmcSpec;
}

export interface BmcSpec {
  /** Which fence device Pacemaker uses for this node. */
  kind: 'ipmi' | 'redfish';
  username: string;
  password: string;
}

export interface AggregateSpec {
  hosts: string[];
  metadata: Record<string, string>;
}

export interface FlavorSpec {
  vcpus: number;
  ramMb: number;
  diskGb: number;
  extraSpecs: Record<string, string>;
}

export interface ImageSpec {
  sizeMb: number;
  properties: Record<string, string>;
  tags: string[];
}

export type StorageKind = 'shared' | 'volume' | 'local';

export interface ServerSpec {
  name: string;
  flavor: string;
  image: string;
  storage: StorageKind;
  tags: string[];
  metadata: Record<string, string>;
  /** User data as given at boot (plain text; Nova's API shows it base64-encoded). */
  userData?: string;
  /** Pinned host (skips the scheduler at start). */
  host?: string;
  /** Requested availability zone (evacuations stay in it). */
  az?: string;
  /** Server group name. */
  group?: string;
}

export interface ServerGroupSpec {
  policy: 'anti-affinity' | 'affinity' | 'soft-anti-affinity' | 'soft-affinity';
}

export type InstanceFilter =
  | { kind: 'evacuable' }
  | { kind: 'tag'; tag: string }
  | { kind: 'metadata'; key: string }
  | { kind: 'all' };

export type PolicyName = 'instanceha' | 'notify' | 'no-fence' | 'none' | 'external';

export interface RecoverySpec {
  policy: PolicyName;
  /** fence_compute uses the force-down API (else it waits for Nova's service-down time). */
  forceDown: boolean;
  instanceFilter: InstanceFilter;
  /** Evacuate with on_shared_storage semantics (fence_evacuate `--no-shared-storage` is the opposite). */
  sharedStorage: boolean;
  /** Evacuate instances whose disk is local (they are rebuilt from image: data lost). */
  evacuateLocal: boolean;
}

export const FAULT_KINDS = [
  'host-power-loss', 'power-restore', 'host-kernel-panic', 'host-hang', 'host-reboot',
  'nova-compute-crash', 'nova-compute-start', 'pacemaker-remote-crash', 'nic-down', 'nic-up',
  'guest-panic', 'guest-hang', 'network-partition', 'network-heal', 'controller-failure',
  'controller-restore', 'bmc-unreachable', 'bmc-broken', 'bmc-slow', 'bmc-restore',
  'storage-outage', 'storage-restore',
  // Faults at the seams of the recovery logic (FoundationDB's BUGGIFY lesson): the agent's API, the message bus,
  // Nova's control services, attrd, keystone, a rack's switch.
  'nova-api-errors', 'nova-api-slow', 'nova-api-restore', 'keystone-token-expired',
  'rebuild-rpc-lost', 'rebuild-rpc-restore', 'message-bus-cut', 'message-bus-restore',
  'nova-conductor-down', 'nova-conductor-restore', 'nova-scheduler-down', 'nova-scheduler-restore',
  'attrd-update-lost', 'attrd-delay', 'attrd-restore', 'tor-switch-failure', 'tor-switch-restore',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const NETWORKS = ['mgmt', 'ipmi', 'storage', 'tenant'] as const;
export type NetworkName = (typeof NETWORKS)[number];

/**
 * Which entities a fault applies to. `pool` holds resolved names (computes, controllers or servers, by
 * fault kind); with `count`, the simulator picks that many from the pool with the seeded RNG, otherwise all.
 */
export interface TargetSpec {
  pool: string[];
  /**
   * Guest faults written `{host: …}`, `{rack: …}` or `{az: …}`: the computes whose guests are hit. The pool is then
   * the servers with a running guest there at the fault's time (placement is only known once the run started).
   */
  onHosts?: string[];
  count?: number;
  /** How the scenario wrote it, for messages and reports (e.g. `{rack: r1}`). */
  text: string;
}

export interface FaultSpec {
  atMs: number;
  kind: FaultKind;
  target?: TargetSpec;
  /** nic-down/nic-up, network-partition, network-heal. */
  network?: NetworkName;
  /** network-partition: groups of resolved node names (computes and controllers). */
  groups?: string[][];
  /** network-partition: traffic from groups[0] to the others is cut, the reverse still flows. */
  oneWay?: boolean;
  /** The fault undoes itself after this long (host-hang, network-partition, bmc-*, storage-outage, …). */
  durationMs?: number;
  /** bmc-slow: added latency of each BMC action and status read; nova-api-slow: of each API call; attrd-delay: of each update. */
  latencyMs?: Dist;
  /** nova-api-errors: share of the agent's API calls answered 500/503 (0..1]; attrd-update-lost: share of updates lost. */
  rate?: number;
  /** tor-switch-failure: the BMCs hang off the same switch (the `ipmi` network is cut too). */
  ipmi?: boolean;
  /** host-power-loss: the BMC is powered from the host's feed and dies with it (fencing is impossible). */
  bmcSharesPower?: boolean;
  /** guest-panic: the guest panics again after every reset (a reset loop). */
  recurring?: boolean;
  /** host-kernel-panic: kdump reboots the host after this long (overrides config.host.kdumpRebootMs). */
  kdumpRebootMs?: number;
}

export interface ExpectSpec {
  /** Invariant names to check, or all of them. */
  invariants: 'all' | string[];
  /** Bound for `recovery-bounded`; absent: that invariant is not judged. */
  recoveryBoundMs?: number;
  /** `heal`: the bound runs from the later of the failure and the last fault's heal (property-checking runs). */
  recoveryBoundFrom?: 'failure' | 'heal';
  /** Violations that MUST be found (scenarios of unsafe designs): a run that does not find them fails. */
  violations: string[];
  /**
   * Reasons an opted-in instance may stay down without breaking `recovery-bounded` (e.g. `fencing-impossible`
   * in a scenario that means to show a rack whose BMCs die with it). Default none: every opted-in instance not
   * recovered within the bound is a violation, whatever the reason.
   */
  allowedReasons: string[];
}
