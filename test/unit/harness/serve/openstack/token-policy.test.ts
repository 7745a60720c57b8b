/**
 * Keystone token policy (keystone/common/policies/token.py): only an admin or the subject token's own user may
 * validate (GET/HEAD) or revoke (DELETE) a token. And token expiry reads its clock at every request: under
 * `ihasim serve` the wall clock, so a token expires on time even while the world is frozen.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildOpenStackApp } from '../../../../../harness/serve/openstack/app.js';
import { startServe } from '../../../../../harness/serve/serve.js';
import { FakeNova } from '../../../../support/fake-nova.js';
import { serveSpec } from '../../../../support/serve-scenario.js';
import { authBody, EPOCH_MS, makeHarness, PUBLIC_URL, type Harness } from './app-harness.js';

let h: Harness;
beforeEach(() => {
  h = makeHarness();
});
afterEach(async () => h.app.close());

const tokens = (method: 'GET' | 'HEAD' | 'DELETE', caller: string, subject: string) =>
  h.call(method, '/identity/v3/auth/tokens', { token: caller, headers: { 'x-subject-token': subject } });

describe('keystone: who may validate or revoke a token', () => {
  it('refuses another user\'s token to a non-admin with 403 and leaves it valid', async () => {
    const admin = await h.login('admin');
    const demo = await h.login('demo');
    const revoke = await tokens('DELETE', demo, admin);
    expect(revoke.statusCode).toBe(403);
    expect(revoke.json()).toEqual({ error: { code: 403, title: 'Forbidden', message: 'You are not authorized to perform the requested action: identity:revoke_token.' } });
    expect((await tokens('GET', demo, admin)).json().error.message).toBe('You are not authorized to perform the requested action: identity:validate_token.');
    expect((await tokens('HEAD', demo, admin)).statusCode).toBe(403);
    expect((await h.call('GET', '/compute/v2.1/os-services', { token: admin })).statusCode).toBe(200);
  });

  it('lets a user validate and revoke its own tokens, and an admin anyone\'s', async () => {
    const admin = await h.login('admin');
    const demo = await h.login('demo');
    const demo2 = await h.login('demo');
    expect((await tokens('GET', demo, demo2)).statusCode).toBe(200);
    expect((await tokens('HEAD', demo, demo)).statusCode).toBe(200);
    expect((await tokens('DELETE', demo, demo2)).statusCode).toBe(204);
    expect((await tokens('GET', admin, demo)).json().token.user.name).toBe('demo');
    expect((await tokens('DELETE', admin, demo)).statusCode).toBe(204);
    expect((await h.call('GET', '/compute/v2.1/servers', { token: demo })).statusCode).toBe(401);
  });

  it('answers 404 for an unknown subject before the policy check, as Keystone resolves the target first', async () => {
    expect((await tokens('DELETE', await h.login('demo'), 'bogus')).statusCode).toBe(404);
  });
});

describe('keystone: token expiry reads the clock at every request', () => {
  it('with a wall clock, expires tokens in wall time even when simulated time stands still', async () => {
    let wall = EPOCH_MS;
    const app = buildOpenStackApp({ nova: new FakeNova(), clock: { nowMs: () => 0, epochMs: EPOCH_MS }, publicUrl: PUBLIC_URL, wallClock: () => wall, tokenTtlMs: 60_000 });
    try {
      const login = await app.inject({ method: 'POST', url: '/identity/v3/auth/tokens', payload: authBody('admin') as object });
      const token = String(login.headers['x-subject-token']);
      expect(login.json().token.expires_at).toBe('2030-01-01T00:01:00.000000Z');
      const get = () => app.inject({ method: 'GET', url: '/compute/v2.1/servers', headers: { 'x-auth-token': token } });
      wall += 59_999;
      expect((await get()).statusCode).toBe(200);
      wall += 1;
      expect((await get()).statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('under serve, refuses a token an hour of wall time old on its first use, also once the world is frozen', async () => {
    let wall = Date.parse('2030-01-01T00:00:00Z');
    const serve = await startServe({ spec: serveSpec(), clock: () => wall, tickMs: 0, speed: 20 });
    try {
      const { authUrl } = serve.endpoints.openstack;
      const login = await fetch(`${authUrl}/v3/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(authBody('admin')) });
      const token = String(login.headers.get('x-subject-token'));
      const servers = () => fetch(authUrl.replace('/identity', '/compute/v2.1/servers'), { headers: { 'x-auth-token': token } });
      wall += 3_599_999;
      expect((await servers()).status).toBe(200);
      // At 20× the 2 h scenario has ended: the world is frozen and its clock no longer moves.
      expect(serve.session.driver.frozen).toBe('ended');
      wall += 1;
      expect((await servers()).status).toBe(401);
    } finally {
      await serve.close();
    }
  });
});
