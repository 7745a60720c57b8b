import { afterEach, describe, expect, it } from 'vitest';
import { parseBasicAuth } from '../../../../../../harness/serve/bmc/redfish/auth.js';
import { ADMIN, basic, errorMessageId, makeKit, OTHER, RESET_URI, type Kit } from './redfish-test-kit.js';

let kit: Kit;
afterEach(async () => {
  await kit?.app.close();
});

const SESSIONS = '/redfish/v1/SessionService/Sessions';

async function login(k: Kit, body: unknown) {
  return k.app.inject({
    method: 'POST',
    url: SESSIONS,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
}

describe('redfish: HTTP Basic authentication', () => {
  it.each([
    ['no Authorization header', {}],
    ['wrong password', { authorization: basic({ username: 'admin', password: 'nope' }) }],
    ['unknown user', { authorization: basic({ username: 'root', password: 'password' }) }],
    ['garbled Basic', { authorization: 'Basic !!!not-base64!!!' }],
    ['no colon', { authorization: `Basic ${Buffer.from('adminpassword').toString('base64')}` }],
    ['other scheme', { authorization: 'Bearer abc' }],
    ['bogus token', { 'x-auth-token': 'deadbeef' }],
  ])('%s → 401 NoValidSession with a Basic challenge', async (_name, headers) => {
    kit = makeKit();
    for (const url of ['/redfish/v1/Systems', '/redfish/v1/Systems/compute-0', '/redfish/v1/SessionService']) {
      const res = await kit.app.inject({ method: 'GET', url, headers });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Basic realm=/);
      expect(errorMessageId(res)).toBe('NoValidSession');
    }
  });

  it('checks auth before the body: a huge or malformed body without credentials gets 401, not 413 or 400', async () => {
    kit = makeKit();
    for (const payload of ['x'.repeat(200_000), '{bad']) {
      const res = await kit.app.inject({
        method: 'POST',
        url: RESET_URI('compute-0'),
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expect(res.statusCode).toBe(401);
    }
  });

  it('gives each node its own credentials: valid credentials of another node get 401 on this one', async () => {
    kit = makeKit();
    const res = await kit.app.inject({ url: '/redfish/v1/Systems/compute-2', headers: { authorization: basic(ADMIN) } });
    expect(res.statusCode).toBe(401);
    const ok = await kit.app.inject({ url: '/redfish/v1/Systems/compute-2', headers: { authorization: basic(OTHER) } });
    expect(ok.statusCode).toBe(200);
  });

  it('parses Basic headers strictly enough and keeps colons in passwords', () => {
    expect(parseBasicAuth(basic({ username: 'u', password: 'a:b:c' }))).toEqual({ username: 'u', password: 'a:b:c' });
    expect(parseBasicAuth(`basic   ${Buffer.from('u:p').toString('base64')}`)).toEqual({ username: 'u', password: 'p' });
    expect(parseBasicAuth(undefined)).toBeUndefined();
    expect(parseBasicAuth('Basic')).toBeUndefined();
    expect(parseBasicAuth('Digest abc')).toBeUndefined();
  });
});

describe('redfish: sessions', () => {
  it('logs in with 201, X-Auth-Token and Location; the token works like the credentials; DELETE logs out', async () => {
    kit = makeKit();
    const res = await login(kit, { UserName: 'admin', Password: 'password' });
    expect(res.statusCode).toBe(201);
    const token = res.headers['x-auth-token'] as string;
    const location = res.headers.location as string;
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    expect(location).toMatch(/^\/redfish\/v1\/SessionService\/Sessions\/\d+$/);
    expect(res.json()).toMatchObject({ UserName: 'admin', '@odata.id': location });
    expect(res.body).not.toContain('password');

    const headers = { 'x-auth-token': token };
    expect((await kit.app.inject({ url: '/redfish/v1/Systems/compute-0', headers })).statusCode).toBe(200);
    expect((await kit.app.inject({ url: '/redfish/v1/Systems/compute-2', headers })).statusCode).toBe(401);
    expect((await kit.app.inject({ url: SESSIONS, headers })).json().Members).toEqual([{ '@odata.id': location }]);
    expect((await kit.app.inject({ url: location, headers })).json().Id).toBe(location.split('/').pop());

    expect((await kit.app.inject({ method: 'DELETE', url: location, headers })).statusCode).toBe(204);
    expect((await kit.app.inject({ url: '/redfish/v1/Systems/compute-0', headers })).statusCode).toBe(401);
  });

  it('a session cannot see or delete another user\'s session (404)', async () => {
    kit = makeKit();
    const mine = await login(kit, { UserName: 'admin', Password: 'password' });
    const theirs = await login(kit, { UserName: 'ops', Password: 's3cret' });
    const headers = { 'x-auth-token': mine.headers['x-auth-token'] as string };
    const url = theirs.headers.location as string;
    expect((await kit.app.inject({ method: 'DELETE', url, headers })).statusCode).toBe(404);
    expect((await kit.app.inject({ method: 'GET', url, headers })).statusCode).toBe(404);
    const theirToken = { 'x-auth-token': theirs.headers['x-auth-token'] as string };
    expect((await kit.app.inject({ url: '/redfish/v1/Systems/compute-2', headers: theirToken })).statusCode).toBe(200);
  });

  it.each([
    ['wrong password', { UserName: 'admin', Password: 'x' }, 401, 'NoValidSession'],
    ['missing password', { UserName: 'admin' }, 400, 'PropertyMissing'],
    ['missing user', { Password: 'password' }, 400, 'PropertyMissing'],
    ['number password', { UserName: 'admin', Password: 1 }, 400, 'PropertyValueTypeError'],
    ['array body', ['admin', 'password'], 400, 'MalformedJSON'],
  ])('login with %s → %i %s, no session', async (_name, body, status, messageId) => {
    kit = makeKit();
    const res = await login(kit, body);
    expect(res.statusCode).toBe(status);
    expect(errorMessageId(res)).toBe(messageId);
    expect(res.headers['x-auth-token']).toBeUndefined();
  });

  it('keeps at most 64 sessions, evicting the oldest', async () => {
    kit = makeKit();
    const first = await login(kit, { UserName: 'admin', Password: 'password' });
    for (let i = 0; i < 64; i++) await login(kit, { UserName: 'admin', Password: 'password' });
    const headers = { authorization: basic(ADMIN) };
    const members = (await kit.app.inject({ url: SESSIONS, headers })).json().Members;
    expect(members).toHaveLength(64);
    const stale = { 'x-auth-token': first.headers['x-auth-token'] as string };
    expect((await kit.app.inject({ url: '/redfish/v1/Systems', headers: stale })).statusCode).toBe(401);
  });
});
