/**
 * A hypervisor as Nova renders it (`nova/api/openstack/compute/hypervisors.py` `_view_hypervisor`): ids are
 * integers below 2.53 and UUIDs from it; the detail view has the resource counters and `cpu_info` (a JSON
 * string below 2.28, an object from it) only below 2.88, and `uptime` from 2.88; `servers` ({name, uuid}) when
 * asked for and non-empty, or always (maybe empty) when asked for from 2.75.
 */
import type { HypervisorRecord, InstanceRecord, ServiceRecord } from '../../../sim/nova/records.js';
import { atLeast, type Microversion } from './microversion.js';

const CPU_INFO = {
  arch: 'x86_64',
  model: 'Nehalem',
  vendor: 'Intel',
  features: [] as string[],
  topology: { cores: 1, threads: 1, sockets: 1 },
};

/** What a hypervisor view is made of, resolved by the route. */
export interface HypervisorParts {
  h: HypervisorRecord;
  service: ServiceRecord | undefined;
  /** Position in the list (for a stable fake host IP). */
  index: number;
  /** Servers on its host when the request asked for them (`with_servers`, or the < 2.53 `/servers` route). */
  servers?: readonly InstanceRecord[];
  /** The host's `uptime` output; null when the host cannot be asked (down). */
  uptime: string | null;
}

/** The id of a hypervisor at microversion `v`. */
export function hypervisorId(h: HypervisorRecord, v: Microversion): string | number {
  return atLeast(v, 53) ? h.uuid : h.id;
}

function summary(h: HypervisorRecord, v: Microversion): Record<string, unknown> {
  return { id: hypervisorId(h, v), hypervisor_hostname: h.hostname, state: h.state, status: h.status };
}

function counters(h: HypervisorRecord): Record<string, unknown> {
  return {
    vcpus: h.vcpus,
    memory_mb: h.memoryMb,
    local_gb: h.localGb,
    vcpus_used: h.vcpusUsed,
    memory_mb_used: h.memoryMbUsed,
    local_gb_used: h.localGbUsed,
    free_ram_mb: h.memoryMb - h.memoryMbUsed,
    free_disk_gb: h.localGb - h.localGbUsed,
    current_workload: 0,
    running_vms: h.runningVms,
    disk_available_least: h.localGb - h.localGbUsed,
  };
}

function detailFields(p: HypervisorParts, v: Microversion): Record<string, unknown> {
  const { h, service } = p;
  const out: Record<string, unknown> = {
    hypervisor_type: 'QEMU',
    hypervisor_version: 6002000,
    host_ip: `192.0.2.${(p.index % 240) + 10}`,
    service: { id: service ? (atLeast(v, 53) ? service.uuid : service.id) : null, host: service?.host ?? h.hostname, disabled_reason: service?.disabledReason ?? null },
  };
  if (atLeast(v, 88)) return { ...out, uptime: p.uptime };
  const cpu = { ...CPU_INFO, topology: { ...CPU_INFO.topology, sockets: h.vcpus } };
  return { ...out, ...counters(h), cpu_info: atLeast(v, 28) ? cpu : JSON.stringify(cpu) };
}

/** `_view_hypervisor(hypervisor, service, detail, req, servers, with_servers)`. */
export function hypervisorView(p: HypervisorParts, v: Microversion, detail: boolean, withServers = false): Record<string, unknown> {
  const view: Record<string, unknown> = { ...summary(p.h, v), ...(detail ? detailFields(p, v) : {}) };
  if (p.servers && p.servers.length > 0) view['servers'] = p.servers.map((i) => ({ name: i.name, uuid: i.uuid }));
  else if (withServers && atLeast(v, 75)) view['servers'] = [];
  return view;
}

/** `{"hypervisor_statistics": …}` of `GET /os-hypervisors/statistics` (< 2.88): sums over the compute nodes. */
export function hypervisorStatistics(hypervisors: readonly HypervisorRecord[]): Record<string, number> {
  const sum = (f: (h: HypervisorRecord) => number) => hypervisors.reduce((n, h) => n + f(h), 0);
  return {
    count: hypervisors.length,
    vcpus: sum((h) => h.vcpus),
    memory_mb: sum((h) => h.memoryMb),
    local_gb: sum((h) => h.localGb),
    vcpus_used: sum((h) => h.vcpusUsed),
    memory_mb_used: sum((h) => h.memoryMbUsed),
    local_gb_used: sum((h) => h.localGbUsed),
    free_ram_mb: sum((h) => h.memoryMb - h.memoryMbUsed),
    free_disk_gb: sum((h) => h.localGb - h.localGbUsed),
    current_workload: 0,
    running_vms: sum((h) => h.runningVms),
    disk_available_least: sum((h) => h.localGb - h.localGbUsed),
  };
}

/**
 * The libvirt driver's `get_host_uptime` is the host's `uptime(1)` line; the world keeps no boot time per
 * hypervisor, so the host counts as up since the run started. Parsed by OSC's `hypervisor show`.
 */
export function uptimeLine(wallEpochMs: number, upMs: number): string {
  const clock = new Date(wallEpochMs).toISOString().slice(11, 19);
  const minutes = Math.floor(upMs / 60_000);
  const days = Math.floor(minutes / 1440);
  const hhmm = `${Math.floor((minutes % 1440) / 60)}:${String(minutes % 60).padStart(2, '0')}`;
  const up = days > 0 ? `${days} day${days === 1 ? '' : 's'}, ${hhmm}` : minutes < 60 ? `${minutes} min` : hhmm;
  return ` ${clock} up ${up},  1 user,  load average: 0.00, 0.00, 0.00`;
}
