/**
 * `GET /servers[/detail]` paging (`limit`, `marker`, `servers_links`, as nova/api/openstack/common.py) and the
 * `name` regular expression evaluated by RE2 (re2js), which cannot backtrack.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildOpenStackApp } from '../../../../../harness/serve/openstack/app.js';
import { compileNameFilter } from '../../../../../harness/serve/openstack/name-filter.js';
import type { InstanceRecord } from '../../../../../sim/nova/records.js';
import { FakeNova, SERVER_IDS } from '../../../../support/fake-nova.js';
import { authBody, EPOCH_MS, makeHarness, PUBLIC_URL, type Harness } from './app-harness.js';

let h: Harness;
let token: string;
beforeEach(async () => {
  h = makeHarness();
  token = await h.login();
});
afterEach(async () => h.app.close());

const get = (url: string) => h.call('GET', `/compute/v2.1${url}`, { token });
const ids = (body: { servers: { id: string }[] }) => body.servers.map((s) => s.id);
// Newest first: vm4, vm3, vm2, vm1.
const { vm1, vm2, vm3, vm4 } = SERVER_IDS;

describe('server lists: limit and marker', () => {
  it('returns a page of limit servers with a next link carrying the sorted parameters and the last id', async () => {
    const first = (await get('/servers/detail?limit=2&all_tenants=True')).json();
    expect(ids(first)).toEqual([vm4, vm3]);
    expect(first.servers_links).toEqual([{ rel: 'next', href: `${PUBLIC_URL}/compute/v2.1/servers/detail?all_tenants=True&limit=2&marker=${vm3}` }]);
    const second = (await get(`/servers/detail?all_tenants=True&limit=2&marker=${vm3}`)).json();
    expect(ids(second)).toEqual([vm2, vm1]);
    expect(second.servers_links[0].href).toContain(`marker=${vm1}`);
    const last = (await get(`/servers?all_tenants=True&limit=2&marker=${vm1}`)).json();
    expect(last).toEqual({ servers: [] });
  });

  it('has no next link when the page is not full, and pages after a marker that the filters exclude', async () => {
    expect((await get('/servers?all_tenants=1&limit=5')).json().servers_links).toBeUndefined();
    // vm2 belongs to demo: not in the admin project's list, but still a valid marker (Nova looks it up by uuid).
    expect(ids((await get(`/servers?marker=${vm2}`)).json())).toEqual([vm1]);
  });

  it('answers 400 for an unknown marker and a limit that is not a non-negative integer; caps the limit at 1000', async () => {
    const unknown = await get('/servers?marker=nope');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().badRequest.message).toBe('marker [nope] not found');
    expect((await get('/servers?limit=abc')).json().badRequest.message).toBe("Invalid input for query parameters limit. Value: abc. 'abc' does not match '^[0-9]*$'");
    expect((await get('/servers?limit=-1')).statusCode).toBe(400);
    expect((await get('/servers?limit=')).json().badRequest.message).toBe("Invalid input for query parameters limit. Value: . '' is too short");
    expect(ids((await get('/servers?all_tenants=1&limit=99999999999999999999')).json())).toHaveLength(4);
    expect((await get('/servers?all_tenants=1&limit=0')).json()).toEqual({ servers: [] });
  });
});

describe('server lists: the name filter runs on RE2', () => {
  it('filters by a regular expression searched in the name', async () => {
    expect(ids((await get('/servers?all_tenants=1&name=vm-[13]')).json())).toEqual([vm3, vm1]);
    expect(ids((await get('/servers?all_tenants=1&name=^web')).json())).toEqual([vm4]);
  });

  it('answers 400 for patterns RE2 cannot compile (backreferences, lookaround, syntax errors)', async () => {
    for (const pattern of ['(a)\\1', '(?=a)', '(a']) {
      const res = await get(`/servers?name=${encodeURIComponent(pattern)}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().badRequest.message).toContain('is not a regular expression this API evaluates (RE2 syntax)');
    }
  });

  it('decides ^(a+)+$ on 10,000-character names in one linear pass (a backtracking engine would not return)', () => {
    const matches = compileNameFilter('^(a+)+$');
    expect(matches('a'.repeat(10_000))).toBe(true);
    expect(matches(`${'a'.repeat(10_000)}b`)).toBe(false);
  });

  it('serves that pattern over HTTP against a server with a 10,000-character name', async () => {
    class LongNames extends FakeNova {
      override instances(filter?: Parameters<FakeNova['instances']>[0]): InstanceRecord[] {
        return super.instances(filter).map((i, n) => ({ ...i, name: n === 0 ? 'a'.repeat(10_000) : `${'a'.repeat(10_000)}!` }));
      }
    }
    const app = buildOpenStackApp({ nova: new LongNames(), clock: { nowMs: () => 0, epochMs: EPOCH_MS }, publicUrl: PUBLIC_URL });
    try {
      const login = await app.inject({ method: 'POST', url: '/identity/v3/auth/tokens', payload: authBody('admin') as object });
      const res = await app.inject({ method: 'GET', url: `/compute/v2.1/servers?all_tenants=1&name=${encodeURIComponent('^(a+)+$')}`, headers: { 'x-auth-token': String(login.headers['x-subject-token']) } });
      expect(res.statusCode).toBe(200);
      expect(ids(res.json())).toEqual([vm1]);
    } finally {
      await app.close();
    }
  });
});
