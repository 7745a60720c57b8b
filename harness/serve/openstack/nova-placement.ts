/**
 * Where things may run: `GET /os-availability-zone` (+ `/detail`, admin), `GET /os-aggregates` (admin),
 * `GET /os-server-groups` (+ `/{id}`). Shapes from Nova's api samples; version deltas: server groups gain
 * `project_id`/`user_id` at 2.13 and `policy`/`rules` (instead of `policies`/`metadata`) at 2.64; aggregates
 * gain `uuid` at 2.41.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AggregateRecord, ServerGroupRecord, ServiceRecord } from '../../../sim/nova/records.js';
import { microversionOf, requireAdmin, type ApiDeps } from './context.js';
import { ApiFault } from './faults.js';
import { atLeast, type Microversion } from './microversion.js';
import { epochOf, novaDbTime } from './time-format.js';

/** A stable UUID-shaped id derived from a name (records without a uuid of their own). */
function derivedUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function zoneHosts(deps: ApiDeps, hosts: readonly string[], services: readonly ServiceRecord[]): Record<string, unknown> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const host of hosts) {
    out[host] = {};
    for (const s of services.filter((x) => x.host === host)) {
      out[host][s.binary] = { available: s.state === 'up', active: s.status === 'enabled', updated_at: novaDbTime(epochOf(deps.clock, s.updatedAtMs)) };
    }
  }
  return out;
}

function availabilityZones(deps: ApiDeps, request: FastifyRequest, detailed: boolean): Record<string, unknown> {
  if (detailed) requireAdmin(request, 'os_compute_api:os-availability-zone:detail');
  const zones = deps.nova.availabilityZones().map((z) => ({
    zoneName: z.name,
    zoneState: { available: z.available },
    hosts: detailed ? zoneHosts(deps, z.hosts, deps.nova.services({ binary: 'nova-compute' })) : null,
  }));
  if (detailed) {
    const internal = deps.nova.services().filter((s) => s.zone === 'internal');
    const hosts = [...new Set(internal.map((s) => s.host))];
    if (hosts.length > 0) zones.unshift({ zoneName: 'internal', zoneState: { available: true }, hosts: zoneHosts(deps, hosts, internal) });
  }
  return { availabilityZoneInfo: zones };
}

function aggregateView(a: AggregateRecord, v: Microversion, created: string): Record<string, unknown> {
  const metadata = a.az ? { ...a.metadata, availability_zone: a.az } : { ...a.metadata };
  const view: Record<string, unknown> = {
    id: a.id,
    name: a.name,
    availability_zone: a.az,
    hosts: [...a.hosts],
    metadata,
    created_at: created,
    updated_at: null,
    deleted_at: null,
    deleted: false,
  };
  if (atLeast(v, 41)) view['uuid'] = derivedUuid(`aggregate:${a.id}:${a.name}`);
  return view;
}

function serverGroupView(deps: ApiDeps, g: ServerGroupRecord, v: Microversion): Record<string, unknown> {
  const owner = g.members.map((m) => deps.nova.instance(m)).find((i) => i !== undefined);
  const view: Record<string, unknown> = { id: g.id, name: g.name };
  if (atLeast(v, 64)) Object.assign(view, { policy: g.policy, rules: {} });
  else Object.assign(view, { policies: [g.policy], metadata: {} });
  view['members'] = [...g.members];
  if (atLeast(v, 13)) Object.assign(view, { project_id: owner?.projectId ?? '', user_id: owner?.userId ?? '' });
  return view;
}

/** Register AZ, aggregate and server-group routes on the authenticated compute scope. */
export function registerNovaPlacementRoutes(scope: FastifyInstance, deps: ApiDeps): void {
  scope.get('/os-availability-zone', async (request) => availabilityZones(deps, request, false));
  scope.get('/os-availability-zone/detail', async (request) => availabilityZones(deps, request, true));
  scope.get('/os-aggregates', async (request) => {
    requireAdmin(request, 'os_compute_api:os-aggregates:index');
    const created = novaDbTime(deps.clock.epochMs);
    return { aggregates: deps.nova.aggregates().map((a) => aggregateView(a, microversionOf(request), created)) };
  });
  scope.get('/os-server-groups', async (request) => ({
    server_groups: deps.nova.serverGroups().map((g) => serverGroupView(deps, g, microversionOf(request))),
  }));
  scope.get('/os-server-groups/:id', async (request) => {
    const id = (request.params as { id: string }).id;
    const group = deps.nova.serverGroups().find((g) => g.id === id);
    if (!group) throw new ApiFault(404, `Instance group ${id} could not be found.`);
    return { server_group: serverGroupView(deps, group, microversionOf(request)) };
  });
}
