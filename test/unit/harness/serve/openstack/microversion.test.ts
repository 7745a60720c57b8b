import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { negotiateMicroversion } from '../../../../../harness/serve/openstack/microversion.js';
import { makeHarness, type Harness } from './app-harness.js';

let h: Harness;
let token: string;
beforeEach(async () => {
  h = makeHarness();
  token = await h.login();
});
afterEach(async () => h.app.close());

describe('openstack api: nova version documents', () => {
  it('lists v2.0 and v2.1 at /compute without a token (200), max 2.95 min 2.1', async () => {
    for (const url of ['/compute', '/compute/']) {
      const res = await h.call('GET', url);
      expect(res.statusCode).toBe(200);
      const v21 = res.json().versions.find((v: { id: string }) => v.id === 'v2.1');
      expect(v21).toMatchObject({ status: 'CURRENT', version: '2.95', min_version: '2.1' });
      expect(v21.links[0].href).toBe('http://127.0.0.1:5000/compute/v2.1/');
    }
  });

  it('describes v2.1 at /compute/v2.1 and /compute/v2.1/ under key "version"', async () => {
    for (const url of ['/compute/v2.1', '/compute/v2.1/']) {
      const res = await h.call('GET', url, { token });
      expect(res.statusCode).toBe(200);
      expect(res.json().version).toMatchObject({ id: 'v2.1', version: '2.95', min_version: '2.1' });
    }
  });
});

describe('openstack api: microversion negotiation', () => {
  it('defaults to 2.1 and echoes both headers with Vary', async () => {
    const res = await h.call('GET', '/compute/v2.1/flavors', { token });
    expect(res.headers['openstack-api-version']).toBe('compute 2.1');
    expect(res.headers['x-openstack-nova-api-version']).toBe('2.1');
    expect(res.headers['vary']).toBe('OpenStack-API-Version, X-OpenStack-Nova-API-Version');
    expect(res.headers['x-openstack-request-id']).toMatch(/^req-/);
  });

  it('reads the legacy header, prefers the generic one, resolves latest to 2.95', async () => {
    expect((await h.call('GET', '/compute/v2.1/flavors', { token, version: '2.11', legacy: true })).headers['x-openstack-nova-api-version']).toBe('2.11');
    const both = await h.call('GET', '/compute/v2.1/flavors', {
      token,
      headers: { 'openstack-api-version': 'compute 2.60', 'x-openstack-nova-api-version': '2.11' },
    });
    expect(both.headers['x-openstack-nova-api-version']).toBe('2.60');
    expect((await h.call('GET', '/compute/v2.1/flavors', { token, version: 'latest' })).headers['openstack-api-version']).toBe('compute 2.95');
  });

  it('ignores other services in OpenStack-API-Version', () => {
    expect(negotiateMicroversion({ 'openstack-api-version': 'image 2.5, compute 2.53' })).toEqual({ major: 2, minor: 53 });
    expect(negotiateMicroversion({ 'openstack-api-version': 'image 2.5' })).toEqual({ major: 2, minor: 1 });
  });

  it('answers 406 computeFault for versions outside [2.1, 2.95]', async () => {
    for (const v of ['2.96', '2.200', '2.0', '3.1', '1.1']) {
      const res = await h.call('GET', '/compute/v2.1/os-services', { token, version: v });
      expect(res.statusCode).toBe(406);
      expect(res.json()).toEqual({ computeFault: { code: 406, message: `Version ${v} is not supported by the API. Minimum is 2.1 and maximum is 2.95.` } });
    }
  });

  it('answers 400 for malformed version strings', async () => {
    for (const v of ['2', 'two', '2.05', '2.1.1', '']) {
      const res = await h.call('GET', '/compute/v2.1/os-services', { token, headers: { 'x-openstack-nova-api-version': v } });
      if (v === '') expect(res.statusCode).toBe(400);
      else expect(res.json().badRequest.message).toMatch(/is of invalid format/);
    }
  });

  it('checks the token before the microversion (401 beats 406)', async () => {
    expect((await h.call('GET', '/compute/v2.1/os-services', { version: '9.9' })).statusCode).toBe(401);
  });
});
