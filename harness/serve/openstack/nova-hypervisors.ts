/**
 * `os-hypervisors` (admin-only), as `nova/api/openstack/compute/hypervisors.py` `HypervisorsController`:
 * - `GET /os-hypervisors[/detail]`: paging by `limit`/`marker` from 2.33 (`hypervisors_links`); from 2.53 the
 *   `hypervisor_hostname_pattern` (a DB `LIKE %pattern%`: 404 when nothing matches, 400 with paging) and
 *   `with_servers` query parameters, and no unknown parameter;
 * - `GET /os-hypervisors/{id}` (integer id below 2.53: else 404; UUID from it: else 400; `with_servers` ≥ 2.53);
 * - `GET /os-hypervisors/{id}/uptime` (2.1–2.87), `/{pattern}/search` and `/{pattern}/servers` (2.1–2.52),
 *   `/statistics` (2.1–2.87): outside those ranges Nova answers a bare 404, and so does this.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HypervisorRecord } from '../../../sim/nova/records.js';
import { microversionOf, requireAdmin, type ApiDeps } from './context.js';
import { ApiFault } from './faults.js';
import { atLeast, type Microversion } from './microversion.js';
import { hypervisorId, hypervisorStatistics, hypervisorView, uptimeLine, type HypervisorParts } from './nova-hypervisor-view.js';
import { afterMarker, collectionLinks, pageParams, PAGINATION_QUERY } from './nova-paging.js';
import { ANY_STRING, BOOLEAN, FQDN, isTrueString, NON_NEGATIVE_INTEGER, validateQuery, type QueryParamSchema } from './nova-query.js';
import { nowEpochMs } from './time-format.js';

const POLICY = (action: string) => `os_compute_api:os-hypervisors:${action}`;
const UUID_LIKE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** `schema.index_query_v253`. */
const INDEX_QUERY_V253: Record<string, QueryParamSchema> = {
  limit: { check: NON_NEGATIVE_INTEGER, single: true },
  marker: { check: ANY_STRING, single: true },
  hypervisor_hostname_pattern: { check: FQDN, single: true },
  with_servers: { check: BOOLEAN, single: true },
};

/** `schema.show_query_v253`. */
const SHOW_QUERY_V253: Record<string, QueryParamSchema> = { with_servers: { check: BOOLEAN, single: true } };

/** What Nova answers for a route outside its microversion range (`VersionNotFoundForAPIMethod`). */
const routeGone = (): ApiFault => new ApiFault(404, 'The resource could not be found.');

/**
 * SQL `LIKE` as MySQL's default collation evaluates `hypervisor_hostname LIKE '%pattern%'`: case-insensitive,
 * `%` any run, `_` any one character. A dynamic-programming match, linear in |text| × |pattern| (no backtracking).
 */
export function sqlLikeContains(pattern: string, text: string): boolean {
  const p = `%${pattern.toLowerCase()}%`;
  const t = text.toLowerCase();
  let row: boolean[] = [true, ...Array.from({ length: t.length }, () => false)];
  for (const c of p) {
    const next = Array.from({ length: t.length + 1 }, () => false);
    if (c === '%') {
      for (let j = 0; j <= t.length; j++) next[j] = row[j]! || (j > 0 && next[j - 1]!);
    } else {
      for (let j = 1; j <= t.length; j++) next[j] = row[j - 1]! && (c === '_' || t[j - 1] === c);
    }
    row = next;
  }
  return row[t.length]!;
}

/** Every compute node with its service and what the views need; `withServers` lists the servers of each host. */
function nodes(deps: ApiDeps, withServers: boolean): HypervisorParts[] {
  const services = new Map(deps.nova.services({ binary: 'nova-compute' }).map((s) => [s.host, s]));
  const upMs = deps.clock.nowMs();
  const wall = nowEpochMs(deps.clock);
  return deps.nova.hypervisors().map((h, index) => {
    const service = services.get(h.hostname);
    const parts: HypervisorParts = { h, service, index, uptime: service?.state === 'up' ? uptimeLine(wall, upMs) : null };
    if (withServers) parts.servers = serversOn(deps, h);
    return parts;
  });
}

function serversOn(deps: ApiDeps, h: HypervisorRecord) {
  return deps.nova.instances({ host: h.hostname }).filter((i) => i.vmState !== 'deleted');
}

/** `_get_compute_nodes_by_name_pattern`: 404 when nothing matches. */
function matching(deps: ApiDeps, pattern: string, withServers: boolean): HypervisorParts[] {
  const found = nodes(deps, withServers).filter((p) => sqlLikeContains(pattern, p.h.hostname));
  if (found.length === 0) throw new ApiFault(404, `No hypervisor matching '${pattern.slice(0, 255)}' could be found.`);
  return found;
}

function listQuery(request: FastifyRequest, v: Microversion): Map<string, string> {
  if (atLeast(v, 53)) return validateQuery(request, INDEX_QUERY_V253, true);
  if (atLeast(v, 33)) return validateQuery(request, PAGINATION_QUERY, false);
  return new Map();
}

/** `index` and `detail` (`_get_hypervisors`). */
function list(deps: ApiDeps, request: FastifyRequest, detailed: boolean): Record<string, unknown> {
  const v = microversionOf(request);
  const query = listQuery(request, v);
  requireAdmin(request, POLICY(detailed ? 'list-detail' : 'list'));
  const withServers = isTrueString(query.get('with_servers'));
  const pattern = query.get('hypervisor_hostname_pattern');
  const render = (parts: HypervisorParts[]) => parts.map((p) => hypervisorView(p, v, detailed, withServers));
  if (pattern !== undefined) {
    if (query.has('limit') || query.get('marker')) {
      throw new ApiFault(400, 'Paging over hypervisors with the hypervisor_hostname_pattern query parameter is not supported.');
    }
    return { hypervisors: render(matching(deps, pattern, withServers)) };
  }
  if (!atLeast(v, 33)) return { hypervisors: render(nodes(deps, withServers)) };
  const { limit, marker } = pageParams(query);
  const rest = afterMarker(nodes(deps, withServers), marker, (p) => String(hypervisorId(p.h, v)));
  if (!rest) throw new ApiFault(400, `marker [${String(marker).slice(0, 255)}] not found`);
  const page = rest.slice(0, limit);
  const body: Record<string, unknown> = { hypervisors: render(page) };
  const ids = page.map((p) => String(hypervisorId(p.h, v)));
  const links = collectionLinks(request, deps.urls.computeV21, detailed ? 'os-hypervisors/detail' : 'os-hypervisors', ids);
  if (links.length > 0) body['hypervisors_links'] = links;
  return body;
}

/** `_validate_id` then `compute_node_get`. */
function findNode(deps: ApiDeps, v: Microversion, id: string, withServers: boolean): HypervisorParts {
  const notFound = () => new ApiFault(404, `Hypervisor with ID '${id.slice(0, 255)}' could not be found.`);
  if (atLeast(v, 53)) {
    if (!UUID_LIKE.test(id)) throw new ApiFault(400, `Invalid uuid ${id.slice(0, 255)}`);
  } else if (!/^\s*[+-]?\d+\s*$/.test(id)) {
    throw notFound();
  }
  const wanted = atLeast(v, 53) ? id.replace(/-/g, '').toLowerCase() : String(Number(id));
  const found = nodes(deps, withServers).find((p) => (atLeast(v, 53) ? p.h.uuid.replace(/-/g, '').toLowerCase() : String(p.h.id)) === wanted);
  if (!found) throw notFound();
  return found;
}

function show(deps: ApiDeps, request: FastifyRequest, id: string): Record<string, unknown> {
  const v = microversionOf(request);
  const withServers = atLeast(v, 53) && isTrueString(validateQuery(request, SHOW_QUERY_V253, true).get('with_servers'));
  requireAdmin(request, POLICY('show'));
  return { hypervisor: hypervisorView(findNode(deps, v, id, withServers), v, true, withServers) };
}

function uptime(deps: ApiDeps, request: FastifyRequest, id: string): Record<string, unknown> {
  const v = microversionOf(request);
  if (atLeast(v, 88)) throw routeGone();
  requireAdmin(request, POLICY('uptime'));
  const node = findNode(deps, v, id, false);
  // HostAPI.get_host_uptime asks the host over RPC: a down service cannot answer.
  if (node.uptime === null) throw new ApiFault(400, `Compute service of ${node.h.hostname} is unavailable at this time.`);
  return { hypervisor: { ...hypervisorView(node, v, false), uptime: node.uptime } };
}

/** The < 2.53 `/{pattern}/search` (`withServers` false) and `/{pattern}/servers` routes. */
function searchRoute(deps: ApiDeps, request: FastifyRequest, pattern: string, withServers: boolean): Record<string, unknown> {
  const v = microversionOf(request);
  if (atLeast(v, 53)) throw routeGone();
  requireAdmin(request, POLICY(withServers ? 'servers' : 'search'));
  return { hypervisors: matching(deps, pattern, withServers).map((p) => hypervisorView(p, v, false)) };
}

function statistics(deps: ApiDeps, request: FastifyRequest): Record<string, unknown> {
  if (atLeast(microversionOf(request), 88)) throw routeGone();
  requireAdmin(request, POLICY('statistics'));
  return { hypervisor_statistics: hypervisorStatistics(deps.nova.hypervisors()) };
}

const idOf = (request: FastifyRequest): string => (request.params as { id: string }).id;

/** Register `os-hypervisors` on the authenticated compute scope. */
export function registerNovaHypervisorRoutes(scope: FastifyInstance, deps: ApiDeps): void {
  scope.get('/os-hypervisors', async (request) => list(deps, request, false));
  scope.get('/os-hypervisors/detail', async (request) => list(deps, request, true));
  scope.get('/os-hypervisors/statistics', async (request) => statistics(deps, request));
  scope.get('/os-hypervisors/:id', async (request) => show(deps, request, idOf(request)));
  scope.get('/os-hypervisors/:id/uptime', async (request) => uptime(deps, request, idOf(request)));
  scope.get('/os-hypervisors/:id/search', async (request) => searchRoute(deps, request, idOf(request), false));
  scope.get('/os-hypervisors/:id/servers', async (request) => searchRoute(deps, request, idOf(request), true));
}
