/**
 * Minimal Neutron (Networking API v2.0) under `/networking` (devstack's layout): the version list (no token),
 * then behind keystonemiddleware `GET /v2.0/` and the read routes of networks, subnets, ports, availability
 * zones and extensions. Non-admins see their project's ports and the shared network. Filters are validated as
 * with Neutron's `filter-validation` extension (`neutron/api/api_common.py` `get_filters_from_dict`): an
 * attribute that is not a filter is a 400; a repeated filter matches any of its values. Errors are
 * `{"NeutronError": {"type", "message", "detail"}}`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate, isAdmin, tokenOf, type ApiDeps } from './context.js';
import { NeutronFault } from './faults.js';
import {
  availabilityZoneViews, extensionViews, networkView, neutronResources, neutronVersions, portView, subnetView, type NetworkContext,
} from './neutron-documents.js';
import { instancePorts } from './neutron-model.js';
import { queryLists } from './nova-query.js';
import { PREFIX } from './options.js';

type View = Record<string, unknown>;

/** Parameters that are never filters (`api_common` skips paging, sorting and `fields`). */
const NOT_FILTERS = new Set(['fields', 'limit', 'marker', 'page_reverse', 'sort_key', 'sort_dir']);

/** The filterable attributes of each collection (`is_filter` in neutron-lib's definitions, the subset served). */
const FILTERS: Record<string, readonly string[]> = {
  networks: ['id', 'name', 'tenant_id', 'project_id', 'admin_state_up', 'status', 'shared', 'router:external', 'mtu', 'description'],
  subnets: ['id', 'name', 'tenant_id', 'project_id', 'network_id', 'ip_version', 'cidr', 'gateway_ip', 'enable_dhcp', 'description'],
  ports: ['id', 'name', 'tenant_id', 'project_id', 'network_id', 'mac_address', 'admin_state_up', 'status', 'device_id', 'device_owner', 'binding:host_id', 'fixed_ips', 'description'],
  availability_zones: ['name', 'resource', 'state'],
  extensions: [],
};

function pyList(keys: readonly string[]): string {
  return `[${keys.map((k) => `'${k.replace(/\\/g, '\\\\').replace(/'/g, "\\'").slice(0, 100)}'`).join(', ')}]`;
}

/** The request's filters (attribute → accepted values); 400 for an attribute that cannot be filtered on. */
export function neutronFilters(request: FastifyRequest, collection: keyof typeof FILTERS): Map<string, string[]> {
  const allowed = FILTERS[collection]!;
  const filters = new Map<string, string[]>();
  const invalid: string[] = [];
  for (const [key, values] of queryLists(request)) {
    if (NOT_FILTERS.has(key)) continue;
    if (!allowed.includes(key)) invalid.push(key);
    else filters.set(key, values);
  }
  if (invalid.length > 0) throw new NeutronFault(400, 'HTTPBadRequest', `${pyList(invalid.slice(0, 20))} is invalid attribute for filtering`);
  return filters;
}

/** Neutron compares a filter with the attribute converted from the string (booleans accept true/false/1/0…). */
function valueMatches(actual: unknown, wanted: string): boolean {
  if (typeof actual === 'boolean') return ['true', '1', 'yes', 'on', 't', 'y'].includes(wanted.toLowerCase()) === actual;
  if (typeof actual === 'number') return String(actual) === wanted.trim();
  return String(actual ?? '') === wanted;
}

/** `fixed_ips=ip_address=10.0.0.5` / `fixed_ips=subnet_id=…`: any fixed IP with those values. */
function fixedIpMatches(view: View, wanted: string): boolean {
  const [key, ...rest] = wanted.split('=');
  const value = rest.join('=');
  if (key !== 'ip_address' && key !== 'subnet_id') throw new NeutronFault(400, 'HTTPBadRequest', `Invalid fixed_ips filter ${wanted.slice(0, 100)}: expected ip_address=<ip> or subnet_id=<id>`);
  return (view['fixed_ips'] as Record<string, string>[]).some((f) => f[key] === value);
}

function matchesAll(view: View, filters: ReadonlyMap<string, string[]>): boolean {
  for (const [key, values] of filters) {
    if (key === 'fixed_ips') {
      if (!values.every((v) => fixedIpMatches(view, v))) return false;
    } else if (!values.some((v) => valueMatches(view[key], v))) {
      return false;
    }
  }
  return true;
}

/** `fields=a&fields=b`: only those attributes (Neutron always adds nothing else). */
function project(view: View, request: FastifyRequest): View {
  const fields = queryLists(request).get('fields')?.filter((f) => f !== '');
  if (!fields || fields.length === 0) return view;
  return Object.fromEntries(Object.entries(view).filter(([k]) => fields.includes(k)));
}

function context(deps: ApiDeps, request: FastifyRequest): NetworkContext {
  return { admin: isAdmin(request), ownerProjectId: deps.identity.config.projects[0]?.id ?? '', clock: deps.clock };
}

/** The views of a collection the caller may see. */
function visible(deps: ApiDeps, request: FastifyRequest, collection: 'networks' | 'subnets' | 'ports'): View[] {
  const ctx = context(deps, request);
  if (collection === 'networks') return [networkView(ctx)];
  if (collection === 'subnets') return [subnetView(ctx)];
  const project = tokenOf(request).project.id;
  return instancePorts(deps.nova).filter((p) => ctx.admin || p.instance.projectId === project).map((p) => portView(p, ctx));
}

const SINGULAR = { networks: 'network', subnets: 'subnet', ports: 'port' } as const;
const NOT_FOUND = { networks: ['NetworkNotFound', 'Network'], subnets: ['SubnetNotFound', 'Subnet'], ports: ['PortNotFound', 'Port'] } as const;

function list(deps: ApiDeps, request: FastifyRequest, collection: 'networks' | 'subnets' | 'ports'): Record<string, unknown> {
  const filters = neutronFilters(request, collection);
  return { [collection]: visible(deps, request, collection).filter((v) => matchesAll(v, filters)).map((v) => project(v, request)) };
}

function show(deps: ApiDeps, request: FastifyRequest, collection: 'networks' | 'subnets' | 'ports'): Record<string, unknown> {
  const id = (request.params as { id: string }).id;
  const found = visible(deps, request, collection).find((v) => v['id'] === id);
  const [type, noun] = NOT_FOUND[collection];
  if (!found) throw new NeutronFault(404, type, `${noun} ${id.slice(0, 100)} could not be found.`);
  return { [SINGULAR[collection]]: project(found, request) };
}

function registerV2(scope: FastifyInstance, deps: ApiDeps): void {
  scope.addHook('onRequest', async (request) => authenticate(deps, request));
  scope.get('/', async () => neutronResources(deps.urls));
  for (const collection of ['networks', 'subnets', 'ports'] as const) {
    scope.get(`/${collection}`, async (request) => list(deps, request, collection));
    scope.get(`/${collection}/:id`, async (request) => show(deps, request, collection));
  }
  scope.get('/availability_zones', async (request) => {
    const filters = neutronFilters(request, 'availability_zones');
    return { availability_zones: availabilityZoneViews().filter((z) => matchesAll(z, filters)) };
  });
  scope.get('/extensions', async () => ({ extensions: extensionViews() }));
  scope.get('/extensions/:alias', async (request) => {
    const alias = (request.params as { alias: string }).alias;
    const found = extensionViews().find((e) => e['alias'] === alias);
    if (!found) throw new NeutronFault(404, 'HTTPNotFound', `Extension with alias ${alias.slice(0, 100)} does not exist`);
    return { extension: found };
  });
}

/** Register Neutron's routes on the app. */
export function registerNeutronRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const versions = (_req: FastifyRequest, reply: FastifyReply) => reply.send(neutronVersions(deps.urls));
  app.get(PREFIX.network, versions);
  app.get(`${PREFIX.network}/`, versions);
  app.register(async (scope) => registerV2(scope, deps), { prefix: `${PREFIX.network}/v2.0` });
}

