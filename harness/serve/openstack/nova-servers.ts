/**
 * Server reads: `GET /servers`, `/servers/detail`, `/servers/{id}`. Non-admins see their project's servers;
 * `all_tenants` is admin-only (403), the `host` filter is silently dropped for non-admins (Nova's
 * `remove_invalid_options`), `name` is a regular expression as in Nova, evaluated by RE2 (linear time).
 * Lists page as `ServersController._get_servers` does: `limit` (capped at max_limit, 1000) and `marker` (a
 * server uuid; unknown → 400 `marker [x] not found`), with `servers_links` rel=next when the page is full.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { InstanceRecord } from '../../../sim/nova/records.js';
import { isAdmin, microversionOf, queryParam, tokenOf, type ApiDeps } from './context.js';
import { ApiFault } from './faults.js';
import { compileNameFilter } from './name-filter.js';
import { instancePorts } from './neutron-model.js';
import { afterMarker, collectionLinks, pageParams, PAGINATION_QUERY } from './nova-paging.js';
import { validateQuery } from './nova-query.js';
import { serverDetail, serverLinks, serverStatus, type ServerViewContext } from './nova-server-view.js';

const TRUE_WORDS = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE_WORDS = ['0', 'f', 'false', 'off', 'n', 'no'];

/** Nova's `is_all_tenants`: present and empty, or an oslo boolean string; anything else is a 400. */
export function parseAllTenants(raw: string | undefined): boolean {
  if (raw === undefined) return false;
  const word = raw.trim().toLowerCase();
  if (raw === '' || TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  const accepted = [...FALSE_WORDS, ...TRUE_WORDS].sort().map((w) => `'${w}'`).join(', ');
  throw new ApiFault(400, `Invalid input received: Unrecognized value '${raw.slice(0, 64)}', acceptable values are: ${accepted}`);
}

/** Per-request rendering context for servers. */
export function viewContext(deps: ApiDeps, request: FastifyRequest): ServerViewContext {
  return {
    v: microversionOf(request),
    admin: isAdmin(request),
    urls: deps.urls,
    clock: deps.clock,
    flavors: deps.nova.flavors(),
    images: deps.nova.images(),
    computeServices: new Map(deps.nova.services({ binary: 'nova-compute' }).map((s) => [s.host, s])),
    ports: new Map(instancePorts(deps.nova).map((p) => [p.instance.uuid, p])),
  };
}

function instanceFilter(request: FastifyRequest, allTenants: boolean): { host?: string; projectId?: string } {
  const filter: { host?: string; projectId?: string } = {};
  const admin = isAdmin(request);
  const host = queryParam(request, 'host');
  if (admin && host) filter.host = host;
  const project = queryParam(request, 'project_id') ?? queryParam(request, 'tenant_id');
  if (!allTenants) filter.projectId = tokenOf(request).project.id;
  else if (admin && project) filter.projectId = project;
  return filter;
}

/** Nova's default sort: created_at desc (uuid breaks ties, as the primary key does in Nova). */
function newestFirst(a: InstanceRecord, b: InstanceRecord): number {
  return b.createdAtMs - a.createdAtMs || (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0);
}

/**
 * The page after `marker`. Nova looks the marker up among all instances (deleted ones too), not only those the
 * filters keep, and pages from its sort position.
 */
function pageAfter(deps: ApiDeps, sorted: InstanceRecord[], marker: string | undefined, limit: number): InstanceRecord[] {
  if (marker === undefined) return sorted.slice(0, limit);
  const at = deps.nova.instance(marker);
  if (!at) throw new ApiFault(400, `marker [${marker.slice(0, 255)}] not found`);
  const rest = afterMarker(sorted, marker, (i) => i.uuid) ?? sorted.filter((i) => newestFirst(at, i) < 0);
  return rest.slice(0, limit);
}

/** The servers a list request selects, newest first, one page. */
function selectServers(deps: ApiDeps, request: FastifyRequest, detailed: boolean): InstanceRecord[] {
  const page = pageParams(validateQuery(request, PAGINATION_QUERY, false));
  const allTenants = parseAllTenants(queryParam(request, 'all_tenants'));
  if (allTenants && !isAdmin(request)) {
    throw new ApiFault(403, `Policy doesn't allow os_compute_api:servers:${detailed ? 'detail' : 'index'}:get_all_tenants to be performed.`);
  }
  const matchesName = compileNameFilter(queryParam(request, 'name'));
  const status = queryParam(request, 'status')?.toUpperCase();
  const sorted = deps.nova
    .instances(instanceFilter(request, allTenants))
    .filter((i) => i.vmState !== 'deleted' && matchesName(i.name) && (!status || serverStatus(i) === status))
    .sort(newestFirst);
  return pageAfter(deps, sorted, page.marker, page.limit);
}

/** `{servers, servers_links?}` (`views/servers.py` `_list_view`). */
function listBody(deps: ApiDeps, request: FastifyRequest, collection: string, servers: InstanceRecord[], render: (i: InstanceRecord) => unknown): Record<string, unknown> {
  const body: Record<string, unknown> = { servers: servers.map(render) };
  const links = collectionLinks(request, deps.urls.computeV21, collection, servers.map((i) => i.uuid));
  if (links.length > 0) body['servers_links'] = links;
  return body;
}

/** The instance a `{id}` route names, or 404 — also for another project's server when not admin. */
export function findServer(deps: ApiDeps, request: FastifyRequest, id: string): InstanceRecord {
  const instance = deps.nova.instance(id);
  const visible = instance && (isAdmin(request) || instance.projectId === tokenOf(request).project.id);
  if (!instance || !visible || instance.vmState === 'deleted') throw new ApiFault(404, `Instance ${id} could not be found.`);
  return instance;
}

/** Register the server read routes on the authenticated compute scope. */
export function registerNovaServerRoutes(scope: FastifyInstance, deps: ApiDeps): void {
  scope.get('/servers', async (request) =>
    listBody(deps, request, 'servers', selectServers(deps, request, false), (i) => ({ id: i.uuid, name: i.name, links: serverLinks(i, deps.urls) })),
  );
  scope.get('/servers/detail', async (request) => {
    const ctx = viewContext(deps, request);
    return listBody(deps, request, 'servers/detail', selectServers(deps, request, true), (i) => serverDetail(i, ctx, 'list'));
  });
  scope.get('/servers/:id', async (request) => {
    const instance = findServer(deps, request, (request.params as { id: string }).id);
    return { server: serverDetail(instance, viewContext(deps, request), 'show') };
  });
}
