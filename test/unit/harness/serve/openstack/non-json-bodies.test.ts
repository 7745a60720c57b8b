/**
 * A form-encoded (or any non-JSON) body gets an answer that says JSON is required, in the shape of the service
 * the URL belongs to: Keystone's 400 ValidationError, Nova's 415 badMediaType, Glance's 415.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeHarness, type Harness } from './app-harness.js';

let h: Harness;
let token: string;
beforeEach(async () => {
  h = makeHarness();
  token = await h.login();
});
afterEach(async () => h.app.close());

const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('non-JSON request bodies', () => {
  it('Keystone: 400 "Expecting to find application/json in Content-Type header"', async () => {
    const res = await h.call('POST', '/identity/v3/auth/tokens', { body: 'user=admin&password=secret', headers: form });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 400, title: 'Bad Request' });
    expect(res.json().error.message).toMatch(/^Expecting to find application\/json in Content-Type header\./);
  });

  it('Nova: 415 badMediaType naming the type sent and asking for application/json; nothing changes', async () => {
    const before = h.nova.snapshot();
    const res = await h.call('PUT', '/compute/v2.1/os-services/disable', { token, body: 'host=compute-0&binary=nova-compute', headers: form });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toEqual({
      badMediaType: { code: 415, message: 'Unsupported Content-Type: application/x-www-form-urlencoded. Request bodies must be JSON (Content-Type: application/json).' },
    });
    const action = await h.call('POST', '/compute/v2.1/servers/x/action', { token, body: 'evacuate=1', headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect(action.json().badMediaType.message).toContain('Unsupported Content-Type: text/plain.');
    expect(h.nova.snapshot()).toBe(before);
  });
});
