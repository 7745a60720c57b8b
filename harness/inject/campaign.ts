/** A validated `ihasim inject` campaign, as the rest of harness/inject/ uses it. Times in milliseconds. */
import type { LiveFaultKind, CommandTemplate, NetworkName } from './fault-catalog.js';

export interface BmcEntry {
  kind: 'ipmi' | 'redfish';
  address: string;
  port: number;
  username: string;
  /** Where the password is; the value is read only when needed (secrets.ts). */
  passwordEnv?: string;
  passwordFile?: string;
  systemPath?: string;
  insecure: boolean;
}

export interface SshEntry {
  address: string;
  port: number;
  user: string;
  keyFile: string;
  sudo: boolean;
  /** SHA256 fingerprint the host key must have (`ssh-keygen -lf`); absent: any key (a staging network). */
  hostKey?: string;
}

export interface HostEntry {
  name: string;
  allowed: boolean;
  rack?: string;
  az?: string;
  bmc?: BmcEntry;
  ssh?: SshEntry;
  interfaces: Record<NetworkName, string>;
  commands: Partial<Record<LiveFaultKind, CommandTemplate>>;
}

/** One fault of the file on one target: a host (or, for guest-panic, a server). */
export interface PlannedFault {
  /** `f<index of the fault in the file>-<host or server>`: stable, names the action in the journal. */
  id: string;
  /** Index in `faults:`, for messages. */
  index: number;
  kind: LiveFaultKind;
  atMs: number;
  /** null: active until the end of the campaign (or no duration at all: guest-panic). */
  durationMs: number | null;
  host?: string;
  server?: string;
  network?: NetworkName;
}

export interface CloudRef {
  name?: string;
  env?: boolean;
  insecure: boolean;
}

export interface Limits {
  maxHostsDown: number;
  maxAzFraction: number;
  wallClockLimitMs: number;
  apiRatePerSecond: number;
  canaryOutageBoundMs: number;
  controlPlaneFailures: number;
  pollIntervalMs: number;
}

export interface Campaign {
  name: string;
  description: string;
  file?: string;
  cloud: CloudRef;
  hosts: ReadonlyMap<string, HostEntry>;
  faults: readonly PlannedFault[];
  canaries: { servers: string[]; bind: string; port: number; intervalMs: number };
  limits: Limits;
  settleMs: number;
  /** Optional observers besides Nova, the BMCs and the canaries. */
  observers: { virsh: boolean };
  /** The scenario-style `expect:` block, defaults filled. */
  expect: { invariants: string | string[]; recoveryBound?: string | number; recoveryBoundFrom: string; violations: string[]; allowedReasons: string[] };
}

/** When the last fault is undone (its start if it has no duration). */
export function scheduleEndMs(c: Pick<Campaign, 'faults'>): number {
  return c.faults.reduce((m, f) => Math.max(m, f.atMs + (f.durationMs ?? 0)), 0);
}
