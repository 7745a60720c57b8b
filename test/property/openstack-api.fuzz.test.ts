/**
 * Fuzz the OpenStack API app (Keystone, Nova, Glance, Neutron): any route, any token (none, garbage, expired,
 * member, admin), any microversion header, any query (paging, hostname patterns, name regexes, Neutron filters)
 * and body (bad JSON, form-encoded, wrong types, near-valid Nova bodies, huge) → never a 5xx, always a JSON
 * answer, and a rejected request never changes the fake world.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_IDS } from '../support/fake-nova.js';
import { makeHarness, type Harness } from '../unit/harness/serve/openstack/app-harness.js';

type Method = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';

const ROUTES: [Method, string][] = [
  ['GET', '/identity'],
  ['GET', '/identity/v3/'],
  ['POST', '/identity/v3/auth/tokens'],
  ['GET', '/identity/v3/auth/tokens'],
  ['DELETE', '/identity/v3/auth/tokens'],
  ['GET', '/compute/v2.1/'],
  ['GET', '/compute/v2.1/os-services'],
  ['PUT', '/compute/v2.1/os-services/{action}'],
  ['PUT', '/compute/v2.1/os-services/{id}'],
  ['GET', '/compute/v2.1/os-hypervisors/detail'],
  ['GET', '/compute/v2.1/os-hypervisors'],
  ['GET', '/compute/v2.1/os-hypervisors/{id}'],
  ['GET', '/compute/v2.1/os-hypervisors/{id}/uptime'],
  ['GET', '/compute/v2.1/os-hypervisors/{id}/search'],
  ['GET', '/compute/v2.1/os-hypervisors/{id}/servers'],
  ['GET', '/compute/v2.1/os-hypervisors/statistics'],
  ['HEAD', '/identity/v3/auth/tokens'],
  ['GET', '/networking'],
  ['GET', '/networking/v2.0/'],
  ['GET', '/networking/v2.0/networks'],
  ['GET', '/networking/v2.0/networks/{id}'],
  ['GET', '/networking/v2.0/subnets'],
  ['GET', '/networking/v2.0/ports'],
  ['GET', '/networking/v2.0/ports/{id}'],
  ['GET', '/networking/v2.0/availability_zones'],
  ['GET', '/networking/v2.0/extensions'],
  ['GET', '/networking/v2.0/extensions/{id}'],
  ['GET', '/compute/v2.1/servers'],
  ['GET', '/compute/v2.1/servers/detail'],
  ['GET', '/compute/v2.1/servers/{id}'],
  ['POST', '/compute/v2.1/servers/{id}/action'],
  ['GET', '/compute/v2.1/servers/{id}/migrations'],
  ['GET', '/compute/v2.1/os-migrations'],
  ['GET', '/compute/v2.1/flavors/detail'],
  ['GET', '/compute/v2.1/flavors/{id}'],
  ['GET', '/compute/v2.1/flavors/{id}/os-extra_specs'],
  ['GET', '/compute/v2.1/os-server-groups'],
  ['GET', '/compute/v2.1/os-availability-zone/detail'],
  ['GET', '/compute/v2.1/os-aggregates'],
  ['GET', '/image/v2/images'],
  ['GET', '/image/v2/images/{id}'],
  ['DELETE', '/compute/v2.1/servers/{id}'],
];

const printable = (max: number) => fc.stringMatching(new RegExp(`^[ -~]{0,${max}}$`));

const ids = fc.oneof(
  fc.constantFrom(...Object.values(SERVER_IDS), '5a0c1d2e-3f40-4a5b-8c6d-000000000003', '5a0c1d2e-3f40-4a5b-8c6d-000000000001', '1', '2', 'nope'),
  fc.constantFrom('c0ffee00-0000-4000-8000-000000000001', 'compute-0', 'compute', '%', '_', 'binding', 'availability_zone'),
  fc.constantFrom('enable', 'disable', 'disable-log-reason', 'force-down'),
  printable(40).map((s) => encodeURIComponent(s) || 'x'),
);

const microversion = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('2.1', '2.11', '2.14', '2.29', '2.47', '2.53', '2.68', '2.95', 'latest', '2.96', '3.0', '2.0', '2.05'),
  printable(12),
);

const nearValid = fc.oneof(
  fc.record({ evacuate: fc.dictionary(fc.constantFrom('host', 'onSharedStorage', 'adminPass', 'force', 'x'), fc.jsonValue({ maxDepth: 1 })) }),
  fc.dictionary(fc.constantFrom('host', 'binary', 'forced_down', 'disabled_reason', 'status', 'x'), fc.oneof(fc.constantFrom('compute-0', 'nova-compute', 'nova-scheduler', true, false, 'disabled', 'enabled', ''), fc.jsonValue({ maxDepth: 1 }))),
  fc.record({ auth: fc.jsonValue({ maxDepth: 3 }) }),
);

const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  nearValid.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 40 }),
  fc.constant(`{"x": "${'a'.repeat(200_000)}"}`),
);

const query = fc.dictionary(
  fc.constantFrom(
    'host', 'binary', 'all_tenants', 'name', 'status', 'is_public', 'tag', 'limit', 'marker', 'migration_type', 'nocatalog', 'x',
    'hypervisor_hostname_pattern', 'with_servers', 'device_id', 'binding:host_id', 'network_id', 'fields', 'fixed_ips',
  ),
  fc.oneof(printable(10), fc.constantFrom('^(a+)+$', '(a)\\1', 'True', '0', '1000', SERVER_IDS.vm1, 'compute-0')),
  { maxKeys: 3 },
);

const tokenKind = fc.constantFrom('none', 'garbage', 'expired', 'demo', 'admin');

let h: Harness;
const tokens: Record<string, string | undefined> = {};

beforeAll(async () => {
  h = makeHarness({ tokenTtlMs: 1000 });
  tokens['expired'] = await h.login('admin');
  h.nova.nowMs = 5000;
  tokens['admin'] = await h.login('admin');
  tokens['demo'] = await h.login('demo');
  tokens['garbage'] = 'gAAAAAnot-a-token';
  tokens['none'] = undefined;
});

afterAll(async () => h.app.close());

function urlFor(template: string, id: string, q: Record<string, string>): string {
  const path = template.replace('{id}', id).replace('{action}', id);
  const search = new URLSearchParams(q).toString();
  return search ? `${path}?${search}` : path;
}

describe('openstack api fuzz: never a 5xx, rejected requests change nothing', () => {
  it('any route × token × microversion × query × body', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), ids, tokenKind, microversion, query, body, fc.nat(9).map((n) => n === 0), async ([method, template], id, kind, version, q, payload, form) => {
        const headers: Record<string, string> = {};
        const token = tokens[kind];
        if (token) headers['x-auth-token'] = token;
        if (version !== undefined) headers['openstack-api-version'] = `compute ${version}`;
        if (payload !== undefined) headers['content-type'] = form ? 'application/x-www-form-urlencoded' : 'application/json';
        const before = h.nova.snapshot();
        const res = await h.app.inject({ method, url: urlFor(template, id, q), headers, ...(payload !== undefined && method !== 'GET' && method !== 'HEAD' ? { payload } : {}) });
        expect(res.statusCode, `${method} ${template} → ${res.statusCode} ${res.body.slice(0, 300)}`).toBeLessThan(500);
        if (res.statusCode >= 400 && method !== 'HEAD') expect(() => JSON.parse(res.body)).not.toThrow();
        if (res.statusCode >= 400 || method === 'GET') expect(h.nova.snapshot()).toBe(before);
      }),
      { numRuns: 1500, seed: 20250101 },
    );
    const statuses = new Set(h.metrics.snapshot().map((c) => c.status));
    for (const status of [200, 400, 401, 403, 404, 406, 413, 415]) expect(statuses, `no ${status} answer was exercised`).toContain(status);
  });

  it('missing, garbage and expired tokens get 401 on every authenticated route', { timeout: 60_000 }, async () => {
    const authenticated = ROUTES.filter(
      ([method, path]) => /^\/(compute\/v2\.1|image\/v2|networking\/v2\.0)\/./.test(path) || (path === '/identity/v3/auth/tokens' && method !== 'POST'),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...authenticated), fc.constantFrom('none', 'garbage', 'expired'), microversion, async ([method, template], kind, version) => {
        const headers: Record<string, string> = {};
        const token = tokens[kind];
        if (token) headers['x-auth-token'] = token;
        if (version !== undefined) headers['x-openstack-nova-api-version'] = version;
        const res = await h.app.inject({ method, url: urlFor(template, SERVER_IDS.vm1, {}), headers });
        expect(res.statusCode).toBe(401);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
