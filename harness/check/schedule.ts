import type { CheckSpec, FaultKind, FaultSpec, NetworkName } from '../../sim/scenario-spec.js';
import { formatDuration as formatMs } from '../scenario/duration.js';

/**
 * One generated fault: what, on what, when, for how long. It prints itself the way a person would write it
 * (`HostPowerLoss(compute-03) at 5m12s for 4m`) and turns into a scenario fault.
 */
export interface GeneratedFault {
  kind: FaultKind;
  /** Host, controller or server name; absent for partitions and whole-storage outages. */
  target?: string;
  atMs: number;
  /** How long until it heals (kernel panics: until kdump reboots the host; one-shot faults: 0). */
  durationMs: number;
  network?: NetworkName;
  /** network-partition: the nodes cut from all the others. */
  isolated?: string[];
  oneWay?: boolean;
}

/** Kinds that take a compute as target. */
export const HOST_KINDS: ReadonlySet<FaultKind> = new Set([
  'host-power-loss', 'host-hang', 'host-kernel-panic', 'host-reboot', 'nova-compute-crash', 'pacemaker-remote-crash',
  'nic-down', 'bmc-unreachable', 'bmc-broken', 'bmc-slow', 'message-bus-cut', 'tor-switch-failure', 'rebuild-rpc-lost',
  'attrd-update-lost',
]);
/** Kinds without a target (the whole cloud). */
export const CLOUD_KINDS: ReadonlySet<FaultKind> = new Set([
  'storage-outage', 'nova-api-errors', 'nova-api-slow', 'keystone-token-expired', 'nova-conductor-down', 'nova-scheduler-down',
  'attrd-delay', 'recovery-restart',
]);
/** What the checker gives the kinds that need more than a target and a duration. */
const GENERATED_LATENCY_MS: Partial<Record<FaultKind, number>> = { 'bmc-slow': 30_000, 'nova-api-slow': 10_000, 'attrd-delay': 30_000 };
const GENERATED_RATE: Partial<Record<FaultKind, number>> = { 'nova-api-errors': 0.5 };
/** Kinds that happen once and are healed by the system itself (reboot, fencing, watchdog), not undone. */
const ONE_SHOT: ReadonlySet<FaultKind> = new Set(['host-reboot', 'pacemaker-remote-crash', 'guest-panic', 'guest-hang', 'keystone-token-expired', 'recovery-restart']);

const pascal = (kind: string): string => kind.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');

/** `HostPowerLoss(compute-03) at 5m12s for 4m`. */
export function describeFault(f: GeneratedFault): string {
  const args = f.kind === 'network-partition'
    ? `${f.network}: [${(f.isolated ?? []).join(', ')}] | rest${f.oneWay ? ', one-way' : ''}`
    : [f.target, f.network].filter(Boolean).join(', ');
  const lasts = ONE_SHOT.has(f.kind) ? '' : f.kind === 'host-kernel-panic' ? ` (kdump reboot after ${formatMs(f.durationMs)})` : ` for ${formatMs(f.durationMs)}`;
  return `${pascal(f.kind)}(${args}) at ${formatMs(f.atMs)}${lasts}`;
}

export function describeSchedule(schedule: readonly GeneratedFault[]): string {
  return schedule.length === 0 ? '(no faults)' : schedule.map(describeFault).join('; ');
}

/** The scenario fault of a generated one (healing faults carry `durationMs`: the simulator undoes them). */
export function toFaultSpec(f: GeneratedFault, check: CheckSpec): FaultSpec {
  const spec: FaultSpec = { atMs: f.atMs, kind: f.kind };
  if (f.target !== undefined) spec.target = { pool: [f.target], text: f.target };
  if (f.network !== undefined) spec.network = f.network;
  if (f.kind === 'network-partition') {
    const isolated = new Set(f.isolated);
    const rest = [...check.controllers, ...check.hosts].filter((n) => !isolated.has(n));
    spec.groups = [[...isolated], rest];
    spec.oneWay = f.oneWay ?? false;
  }
  if (f.kind === 'host-kernel-panic') spec.kdumpRebootMs = f.durationMs;
  else if (!ONE_SHOT.has(f.kind)) spec.durationMs = f.durationMs;
  const latency = GENERATED_LATENCY_MS[f.kind];
  if (latency !== undefined) spec.latencyMs = { kind: 'const', value: latency };
  const rate = GENERATED_RATE[f.kind];
  if (rate !== undefined) spec.rate = rate;
  return spec;
}

/** Keep faults in time order, dropping any that would exceed `maxConcurrent` active faults. */
export function limitConcurrency(schedule: readonly GeneratedFault[], maxConcurrent: number): GeneratedFault[] {
  const sorted = [...schedule].sort((a, b) => a.atMs - b.atMs);
  const kept: GeneratedFault[] = [];
  for (const f of sorted) {
    const active = kept.filter((k) => k.atMs <= f.atMs && f.atMs < k.atMs + Math.max(k.durationMs, 1)).length;
    if (active < maxConcurrent) kept.push(f);
  }
  return kept;
}

/** The `faults:` block of a scenario that reproduces the schedule with `ihasim run`. */
export function faultsYaml(schedule: readonly GeneratedFault[], check: CheckSpec): string {
  const lines = ['faults:'];
  for (const f of schedule) {
    const s = toFaultSpec(f, check);
    const parts = [`at: ${formatMs(s.atMs)}`, `kind: ${s.kind}`];
    if (s.target) parts.push(`target: ${s.target.text}`);
    if (s.network) parts.push(`network: ${s.network}`);
    if (s.groups) parts.push(`groups: [${s.groups.map((g) => `[${g.join(', ')}]`).join(', ')}]`);
    if (s.oneWay) parts.push('oneWay: true');
    if (s.durationMs !== undefined) parts.push(`duration: ${formatMs(s.durationMs)}`);
    if (s.kdumpRebootMs !== undefined) parts.push(`kdumpReboot: ${formatMs(s.kdumpRebootMs)}`);
    if (s.latencyMs?.kind === 'const') parts.push(`latency: ${formatMs(s.latencyMs.value)}`);
    if (s.rate !== undefined) parts.push(`rate: ${s.rate}`);
    lines.push(`  - { ${parts.join(', ')} }   # ${describeFault(f)}`);
  }
  return lines.join('\n');
}
