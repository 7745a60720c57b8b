/**
 * `os-hypervisors` (admin-only): `GET /os-hypervisors` (id, hostname, state, status) and
 * `/os-hypervisors/detail`. Ids are integers below 2.53 and UUIDs from it; `cpu_info` is a JSON string below
 * 2.28 and an object from it; from 2.88 the resource counters are gone and `uptime` appears.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HypervisorRecord, NovaControl, ServiceRecord } from '../../../sim/nova/records.js';
import { microversionOf, requireAdmin, type ApiDeps } from './context.js';
import { atLeast, type Microversion } from './microversion.js';

const CPU_INFO = {
  arch: 'x86_64',
  model: 'Nehalem',
  vendor: 'Intel',
  features: [] as string[],
  topology: { cores: 1, threads: 1, sockets: 1 },
};

function summary(h: HypervisorRecord, v: Microversion): Record<string, unknown> {
  return { id: atLeast(v, 53) ? h.uuid : h.id, hypervisor_hostname: h.hostname, state: h.state, status: h.status };
}

function counters(h: HypervisorRecord): Record<string, unknown> {
  return {
    vcpus: h.vcpus,
    vcpus_used: h.vcpusUsed,
    memory_mb: h.memoryMb,
    memory_mb_used: h.memoryMbUsed,
    local_gb: h.localGb,
    local_gb_used: h.localGbUsed,
    free_ram_mb: h.memoryMb - h.memoryMbUsed,
    free_disk_gb: h.localGb - h.localGbUsed,
    disk_available_least: h.localGb - h.localGbUsed,
    current_workload: 0,
    running_vms: h.runningVms,
  };
}

function serviceOf(h: HypervisorRecord, v: Microversion, service: ServiceRecord | undefined): Record<string, unknown> {
  const id = service ? (atLeast(v, 53) ? service.uuid : service.id) : null;
  return { host: service?.host ?? h.hostname, id, disabled_reason: service?.disabledReason ?? null };
}

/** A hypervisor as `/os-hypervisors/detail` renders it; `index` is its position (for a stable fake host IP). */
export function hypervisorDetail(h: HypervisorRecord, v: Microversion, service: ServiceRecord | undefined, index: number): Record<string, unknown> {
  const cpu = { ...CPU_INFO, topology: { ...CPU_INFO.topology, sockets: h.vcpus } };
  const detail: Record<string, unknown> = {
    ...summary(h, v),
    hypervisor_type: 'QEMU',
    hypervisor_version: 6002000,
    host_ip: `192.0.2.${(index % 240) + 10}`,
    service: serviceOf(h, v, service),
    cpu_info: atLeast(v, 28) ? cpu : JSON.stringify(cpu),
  };
  if (atLeast(v, 88)) return { ...detail, uptime: null };
  return { ...detail, ...counters(h) };
}

function computeServices(nova: NovaControl): Map<string, ServiceRecord> {
  return new Map(nova.services({ binary: 'nova-compute' }).map((s) => [s.host, s]));
}

function list(deps: ApiDeps, request: FastifyRequest, detailed: boolean): Record<string, unknown> {
  requireAdmin(request, detailed ? 'os_compute_api:os-hypervisors:list-detail' : 'os_compute_api:os-hypervisors:list');
  const v = microversionOf(request);
  const hypervisors = deps.nova.hypervisors();
  if (!detailed) return { hypervisors: hypervisors.map((h) => summary(h, v)) };
  const services = computeServices(deps.nova);
  return { hypervisors: hypervisors.map((h, i) => hypervisorDetail(h, v, services.get(h.hostname), i)) };
}

/** Register `os-hypervisors` on the authenticated compute scope. */
export function registerNovaHypervisorRoutes(scope: FastifyInstance, deps: ApiDeps): void {
  scope.get('/os-hypervisors', async (request) => list(deps, request, false));
  scope.get('/os-hypervisors/detail', async (request) => list(deps, request, true));
}
