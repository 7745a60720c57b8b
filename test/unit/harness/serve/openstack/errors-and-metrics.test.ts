import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { buildOpenStackApp, MAX_BODY_BYTES } from '../../../../../harness/serve/openstack/app.js';
import { FakeNova } from '../../../../support/fake-nova.js';
import { EPOCH_MS, makeHarness, PUBLIC_URL, type Harness } from './app-harness.js';

let h: Harness;
let token: string;
beforeEach(async () => {
  h = makeHarness();
  token = await h.login();
});
afterEach(async () => h.app.close());

describe('openstack api: error shapes', () => {
  it('renders unknown routes in each service shape', async () => {
    expect((await h.call('GET', '/compute/v2.1/os-nothing', { token })).json()).toEqual({ itemNotFound: { code: 404, message: 'The resource could not be found.' } });
    expect((await h.call('GET', '/identity/v3/users')).json().error.code).toBe(404);
    expect((await h.call('GET', '/image/v2/schemas', { token })).json().code).toBe(404);
  });

  it('answers 400 "Malformed request body" for invalid JSON, never 500', async () => {
    const res = await h.call('PUT', '/compute/v2.1/os-services/disable', { token, body: '{"host": ' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ badRequest: { code: 400, message: 'Malformed request body' } });
  });

  it('answers 413 for bodies over Nova max_request_body_size and 415 for other content types', async () => {
    const big = JSON.stringify({ evacuate: { adminPass: 'x'.repeat(MAX_BODY_BYTES) } });
    expect((await h.call('POST', '/compute/v2.1/servers/x/action', { token, body: big })).statusCode).toBe(413);
    const text = await h.call('PUT', '/compute/v2.1/os-services/disable', { token, body: 'host=x', headers: { 'content-type': 'text/plain' } });
    expect(text.statusCode).toBe(415);
    expect(text.json().badMediaType.code).toBe(415);
  });

  it('answers 400 for a missing body on a write', async () => {
    const res = await h.app.inject({ method: 'PUT', url: '/compute/v2.1/os-services/disable', headers: { 'x-auth-token': token } });
    expect(res.statusCode).toBe(400);
    expect(res.json().badRequest.message).toBe("None is not of type 'object'");
  });
});

describe('openstack api: request metrics', () => {
  it('counts requests by method, route pattern and status', async () => {
    await h.call('GET', '/compute/v2.1/servers/abc', { token });
    await h.call('GET', '/compute/v2.1/servers/def', { token });
    await h.call('GET', '/nowhere');
    const snap = h.metrics.snapshot();
    expect(snap).toContainEqual({ method: 'GET', route: '/compute/v2.1/servers/:id', status: 404, count: 2 });
    expect(snap).toContainEqual({ method: 'GET', route: 'unmatched', status: 404, count: 1 });
    expect(snap).toContainEqual({ method: 'POST', route: '/identity/v3/auth/tokens', status: 201, count: 1 });
    expect(h.metrics.total()).toBe(4);
  });
});

describe('openstack api: request logs', () => {
  it('is quiet by default and logs requests to a given pino logger', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const nova = new FakeNova();
    const app = buildOpenStackApp({ nova, clock: { nowMs: () => 0, epochMs: EPOCH_MS }, publicUrl: PUBLIC_URL, logger });
    await app.inject({ method: 'GET', url: '/compute/v2.1/' });
    await app.close();
    const entries = lines.map((l) => JSON.parse(l) as { msg: string; req?: { url: string } });
    expect(entries.some((e) => e.msg === 'incoming request' && e.req?.url === '/compute/v2.1/')).toBe(true);
  });
});
