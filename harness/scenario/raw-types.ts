/**
 * The scenario data as it is once the schema accepted it and filled its defaults: still YAML-shaped
 * (durations as written, brace ranges unexpanded, targets unresolved). Only the normalizers read these.
 */

/** A duration as written: a string with units or an integer of ms. */
export type RawDuration = string | number;

/** A distribution as written. */
export type RawDist =
  | RawDuration
  | { uniform: [RawDuration, RawDuration] }
  | { normal: { mean: RawDuration; sd: RawDuration } }
  | { lognormal: { median: RawDuration; p99: RawDuration } }
  | { exponential: { mean: RawDuration } }
  | { choice: RawDuration[] };

/** A map of scalars (metadata, extra specs, properties). */
export type RawStringMap = Record<string, string | number | boolean>;

export interface RawCompute {
  name: string;
  az: string;
  rack: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
  bmc: { kind: 'ipmi' | 'redfish'; username: string; password: string };
}

export interface RawTopology {
  controllers: number;
  computes: RawCompute[];
  aggregates: Record<string, { hosts: string[]; metadata: RawStringMap }>;
}

export interface RawServer {
  name: string;
  flavor: string;
  image: string;
  storage: 'shared' | 'volume' | 'local';
  tags: string[];
  metadata: RawStringMap;
  userData: string;
  host?: string;
  az?: string;
  group?: string;
}

/** A set to pick targets from: names, globs, or a rack or zone. */
export type RawTargetSet = string | string[] | { rack?: string; az?: string; host?: string };

/** A fault target as written. */
export type RawTarget = string | string[] | { rack?: string; az?: string; host?: string; count?: number; from?: RawTargetSet };

export interface RawFault {
  at: RawDuration;
  kind: string;
  target?: RawTarget;
  network?: string;
  groups?: (string | { rack?: string; az?: string })[][];
  oneWay: boolean;
  duration?: RawDuration;
  latency?: RawDist;
  recurring: boolean;
  kdumpReboot?: RawDuration;
  rate?: number;
  ipmi?: boolean;
  bmcSharesPower: boolean;
}

export interface RawScenario {
  ihasim: 1;
  name: string;
  description: string;
  duration: RawDuration;
  seed: number;
  topology: RawTopology;
  flavors: Record<string, { vcpus: number; ramMb: number; diskGb: number; extraSpecs: RawStringMap }>;
  images: Record<string, { properties: RawStringMap; tags: string[]; sizeMb: number }>;
  servers: RawServer[];
  serverGroups: Record<string, { policy: 'anti-affinity' | 'affinity' | 'soft-anti-affinity' | 'soft-affinity' }>;
  config: Record<string, unknown>;
  recovery: { policy: string; forceDown: boolean; instanceFilter: string; sharedStorage: boolean; evacuateLocal: boolean };
  faults: RawFault[];
  expect: { invariants: string | string[]; recoveryBound?: RawDuration; recoveryBoundFrom?: 'failure' | 'heal'; violations: string[]; allowedReasons: string[] };
  check: RawCheck;
}

/** The `check:` block as written. */
export interface RawCheck {
  faults?: string[];
  hosts?: string[];
  controllers?: string[];
  servers?: string[];
  window?: [RawDuration, RawDuration];
  maxFaults: number;
  maxConcurrent: number;
  maxDuration?: RawDuration;
  grid?: RawDuration;
  recoveryBound?: RawDuration;
}
