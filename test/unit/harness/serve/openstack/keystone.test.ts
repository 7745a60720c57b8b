import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authBody, makeHarness, type Harness } from './app-harness.js';

let h: Harness;
beforeEach(() => {
  h = makeHarness({ tokenTtlMs: 60_000 });
});
afterEach(async () => h.app.close());

describe('openstack api: keystone discovery', () => {
  it('lists only v3 at /identity with a self link to /identity/v3/', async () => {
    const res = await h.call('GET', '/identity');
    expect(res.statusCode).toBe(300);
    const values = res.json().versions.values;
    expect(values).toHaveLength(1);
    expect(values[0].id).toBe('v3.14');
    expect(values[0].links[0]).toEqual({ rel: 'self', href: 'http://127.0.0.1:5000/identity/v3/' });
  });

  it('answers /identity/v3 and /identity/v3/ with one version object, no token needed', async () => {
    for (const url of ['/identity/v3', '/identity/v3/']) {
      const res = await h.call('GET', url);
      expect(res.statusCode).toBe(200);
      expect(res.json().version.status).toBe('stable');
    }
  });
});

describe('openstack api: keystone password auth', () => {
  it('issues a project-scoped token: 201, X-Subject-Token, catalog with compute and image for 3 interfaces', async () => {
    const res = await h.call('POST', '/identity/v3/auth/tokens', { body: authBody('admin') });
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-subject-token']).toMatch(/^gAAAAA/);
    const token = res.json().token;
    expect(token.project).toMatchObject({ id: 'p-admin', name: 'admin' });
    expect(token.roles.map((r: { name: string }) => r.name)).toEqual(['admin', 'member', 'reader']);
    expect(token.expires_at).toBe('2030-01-01T00:01:00.000000Z');
    const compute = token.catalog.find((s: { type: string }) => s.type === 'compute');
    expect(compute.endpoints.map((e: { interface: string }) => e.interface)).toEqual(['public', 'internal', 'admin']);
    expect(compute.endpoints[0]).toMatchObject({ region: 'RegionOne', region_id: 'RegionOne', url: 'http://127.0.0.1:5000/compute/v2.1' });
    const image = token.catalog.find((s: { type: string }) => s.type === 'image');
    expect(image.endpoints[1].url).toBe('http://127.0.0.1:5000/image');
  });

  it('gives the demo user member and reader in project demo', async () => {
    const res = await h.call('POST', '/identity/v3/auth/tokens', { body: authBody('demo') });
    expect(res.json().token.roles.map((r: { name: string }) => r.name)).toEqual(['member', 'reader']);
    expect(res.json().token.project.id).toBe('p-demo');
  });

  it('accepts user and project ids, domain ids, and scopes an unscoped request to the default project', async () => {
    const byId = { auth: { identity: { methods: ['password'], password: { user: { id: 'u-admin', password: 'secret' } } }, scope: { project: { id: 'p-admin' } } } };
    expect((await h.call('POST', '/identity/v3/auth/tokens', { body: byId })).statusCode).toBe(201);
    const domainId = { auth: { identity: { methods: ['password'], password: { user: { name: 'admin', password: 'secret', domain: { id: 'default' } } } } } };
    const res = await h.call('POST', '/identity/v3/auth/tokens', { body: domainId });
    expect(res.statusCode).toBe(201);
    expect(res.json().token.project.name).toBe('admin');
  });

  it('omits the catalog with ?nocatalog', async () => {
    const res = await h.call('POST', '/identity/v3/auth/tokens?nocatalog', { body: authBody('admin') });
    expect(res.json().token.catalog).toBeUndefined();
  });

  it('answers 401 with keystone error body for a wrong password, unknown user, or a project without roles', async () => {
    for (const body of [authBody('admin', 'nope'), authBody('ghost'), authBody('demo', 'secret', 'admin')]) {
      const res = await h.call('POST', '/identity/v3/auth/tokens', { body });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } });
    }
  });

  it('answers 400 for malformed auth bodies', async () => {
    const res = await h.call('POST', '/identity/v3/auth/tokens', { body: { auth: { identity: { methods: ['password'] } } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/^Expecting to find password in identity/);
    expect((await h.call('POST', '/identity/v3/auth/tokens', { body: '{"auth":' })).statusCode).toBe(400);
  });
});

describe('openstack api: keystone tokens', () => {
  it('validates a token with GET /v3/auth/tokens, revokes it with DELETE', async () => {
    const token = await h.login();
    const res = await h.call('GET', '/identity/v3/auth/tokens', { token, headers: { 'x-subject-token': token } });
    expect(res.statusCode).toBe(200);
    expect(res.json().token.user.name).toBe('admin');
    expect((await h.call('HEAD', '/identity/v3/auth/tokens', { token, headers: { 'x-subject-token': token } })).statusCode).toBe(200);
    expect((await h.call('GET', '/identity/v3/auth/tokens', { token, headers: { 'x-subject-token': 'bogus' } })).statusCode).toBe(404);
    expect((await h.call('DELETE', '/identity/v3/auth/tokens', { token, headers: { 'x-subject-token': token } })).statusCode).toBe(204);
    expect((await h.call('GET', '/compute/v2.1/flavors', { token })).statusCode).toBe(401);
  });

  it('expires tokens after tokenTtlMs of simulated time: 401 on every service', async () => {
    const token = await h.login();
    expect((await h.call('GET', '/compute/v2.1/os-services', { token })).statusCode).toBe(200);
    h.nova.nowMs = 60_000;
    for (const url of ['/compute/v2.1/os-services', '/image/v2/images']) {
      const res = await h.call('GET', url, { token });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Keystone uri=/);
      expect(res.json().error.code).toBe(401);
    }
  });

  it('answers 401 without a token', async () => {
    expect((await h.call('GET', '/compute/v2.1/servers')).statusCode).toBe(401);
    expect((await h.call('GET', '/identity/v3/auth/tokens')).statusCode).toBe(401);
  });
});
