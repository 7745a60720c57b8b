import type { Op } from '../kernel/process.js';
import type {
  EvacuateRequest, FlavorRecord, HypervisorRecord, ImageRecord, InstanceRecord, MigrationRecord, ServiceRecord,
} from '../nova/records.js';

/**
 * The ports between the recovery logic and the world (README "Model notes": recovery logic; docs/model.md "The world: truth and views"). Shaped like the real APIs: the
 * same operations and the same refusals (NovaApiError 400 while the service is up, 409 for a bad state…).
 * The simulator provides in-process adapters (sim/adapters); harness/live provides HTTP ones. Policies use only these.
 */
export interface NovaPort {
  services(host: string): Op<ServiceRecord[]>;
  /** `services(host)` every `gapMs` until it reads down and disabled (true) or the deadline passes (false). */
  pollUntilOff(host: string, gapMs: number, deadlineMs: number): Op<boolean>;
  forceDown(host: string, forcedDown: boolean): Op<ServiceRecord>;
  disable(host: string, reason: string): Op<ServiceRecord>;
  enable(host: string): Op<ServiceRecord>;
  /** `GET /servers/detail?all_tenants=1&host=H`. */
  servers(host: string): Op<InstanceRecord[]>;
  evacuate(uuid: string, request: EvacuateRequest): Op<{ migrationUuid: string }>;
  migrations(filter: { sourceCompute?: string; status?: string }): Op<MigrationRecord[]>;
  flavors(): Op<FlavorRecord[]>;
  images(): Op<ImageRecord[]>;
  hypervisors(): Op<HypervisorRecord[]>;
}

export interface FenceResult {
  ok: boolean;
  /** The caller's action timeout ended the agent (Pacemaker kills it): not retried within the same action. */
  timedOut?: boolean;
  /** What the agent would print: `Success: Powered OFF`, `Failed: Unable to obtain correct plug status`… */
  detail: string;
}

/** A power fence device (fence_ipmilan / fence_redfish semantics: act, then poll status until it holds). */
export interface PowerFencer {
  /**
   * `deadlineMs`: run by Pacemaker ≥ 2.0, which passes `--disable-timeout` (fencing.py `check_input`): the agent's
   * own power/shell/login timeouts are off and only Pacemaker's action timeout, this deadline, ends it. Absent:
   * run by hand, with the agent's own `power_timeout`.
   */
  fence(host: string, action: 'off' | 'on' | 'reboot', deadlineMs?: number): Op<FenceResult>;
}

/** Pacemaker's attribute daemon: node attributes such as `evacuate`. */
export interface AttrdPort {
  get(node: string, name: string): Op<string>;
  set(node: string, name: string, value: string): Op<void>;
  /** Resumes when any attribute changes (NovaEvacuate uses it instead of polling a quiet cluster). */
  changed(): Op<void>;
  /** Nodes whose attribute `name` is set, with its value (`attrd_updater --query --all --name NAME`). */
  entries(name: string): Op<[string, string][]>;
}

export interface NotifierPort {
  notify(kind: string, entity: string, detail: string): Op<void>;
}

export interface Ports {
  nova: NovaPort;
  power: PowerFencer;
  attrd: AttrdPort;
  notifier: NotifierPort;
  /** Current time in ms (simulated or real). */
  now(): number;
  /** Structured log line into the trace (sim) or pino (live). */
  log(type: string, entity: string, fields?: Record<string, unknown>): void;
}
