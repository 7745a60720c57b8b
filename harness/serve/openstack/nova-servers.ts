/**
 * Server reads: `GET /servers`, `/servers/detail`, `/servers/{id}`. Non-admins see their project's servers;
 * `all_tenants` is admin-only (403), the `host` filter is silently dropped for non-admins (Nova's
 * `remove_invalid_options`), `name` is a regular expression as in Nova.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { InstanceRecord } from '../../../sim/nova/records.js';
import { isAdmin, microversionOf, queryParam, tokenOf, type ApiDeps } from './context.js';
import { ApiFault } from './faults.js';
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
  };
}

function nameMatcher(pattern: string | undefined): (name: string) => boolean {
  if (!pattern) return () => true;
  try {
    const re = new RegExp(pattern);
    return (name) => re.test(name);
  } catch {
    return (name) => name.includes(pattern);
  }
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

/** The servers a list request selects, newest first (Nova's default sort: created_at desc). */
function selectServers(deps: ApiDeps, request: FastifyRequest, detailed: boolean): InstanceRecord[] {
  const allTenants = parseAllTenants(queryParam(request, 'all_tenants'));
  if (allTenants && !isAdmin(request)) {
    throw new ApiFault(403, `Policy doesn't allow os_compute_api:servers:${detailed ? 'detail' : 'index'}:get_all_tenants to be performed.`);
  }
  const matchesName = nameMatcher(queryParam(request, 'name'));
  const status = queryParam(request, 'status')?.toUpperCase();
  return deps.nova
    .instances(instanceFilter(request, allTenants))
    .filter((i) => i.vmState !== 'deleted' && matchesName(i.name) && (!status || serverStatus(i) === status))
    .sort((a, b) => b.createdAtMs - a.createdAtMs || (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0));
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
  scope.get('/servers', async (request) => ({
    servers: selectServers(deps, request, false).map((i) => ({ id: i.uuid, name: i.name, links: serverLinks(i, deps.urls) })),
  }));
  scope.get('/servers/detail', async (request) => {
    const ctx = viewContext(deps, request);
    return { servers: selectServers(deps, request, true).map((i) => serverDetail(i, ctx, 'list')) };
  });
  scope.get('/servers/:id', async (request) => {
    const instance = findServer(deps, request, (request.params as { id: string }).id);
    return { server: serverDetail(instance, viewContext(deps, request), 'show') };
  });
}
