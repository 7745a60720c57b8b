import { afterEach, describe, expect, it } from 'vitest';
import { REDFISH_BODY_LIMIT_BYTES, REDFISH_ERRORS } from '../../../../../../harness/serve/bmc/redfish/index.js';
import { redfishError, type RedfishErrorName } from '../../../../../../harness/serve/bmc/redfish/errors.js';
import { ADMIN, basic, errorMessageId, get, makeKit, post, RESET_URI, type Kit } from './redfish-test-kit.js';

let kit: Kit;
afterEach(async () => {
  await kit?.app.close();
});

describe('redfish: error registry', () => {
  it('every entry renders a Redfish error body with all its %n arguments filled', () => {
    for (const name of Object.keys(REDFISH_ERRORS) as RedfishErrorName[]) {
      const err = redfishError(name, ['a1', 'a2', 'a3', 'a4']);
      expect(err.status).toBeGreaterThanOrEqual(400);
      expect(err.message).not.toMatch(/%\d/);
      const body = err.body();
      expect(body.error.code).toMatch(/^Base\.1\.\d+\.\d+\.GeneralError$/);
      expect(body.error['@Message.ExtendedInfo'][0]?.MessageId).toMatch(new RegExp(`\\.${err.messageId}$`));
    }
  });

  it('only the broken BMC and internal errors are 5xx', () => {
    const fiveHundreds = Object.entries(REDFISH_ERRORS).filter(([, e]) => e.status >= 500).map(([k]) => k);
    expect(fiveHundreds.sort()).toEqual(['bmcBroken', 'internal']);
  });
});

describe('redfish: bad requests', () => {
  it('answers 404 ResourceMissingAtURI for unknown paths (after auth)', async () => {
    kit = makeKit();
    const res = await get(kit, '/redfish/v1/Chassis');
    expect(res.statusCode).toBe(404);
    expect(errorMessageId(res)).toBe('ResourceMissingAtURI');
    expect((await kit.app.inject({ url: '/redfish/v1/Chassis' })).statusCode).toBe(401);
  });

  it.each([
    ['POST', '/redfish/v1/', 'GET, HEAD, OPTIONS'],
    ['DELETE', '/redfish/v1/Systems', 'GET, HEAD, OPTIONS'],
    ['PATCH', '/redfish/v1/Systems/compute-0', 'GET, HEAD, OPTIONS'],
    ['PUT', '/redfish/v1/SessionService/Sessions', 'GET, POST, HEAD, OPTIONS'],
    ['PROPFIND', '/redfish/v1/Systems/compute-0/', 'GET, HEAD, OPTIONS'],
  ])('%s %s → 405 with Allow: %s', async (method, url, allow) => {
    kit = makeKit();
    const res = await kit.app.inject({ method: method as 'GET', url, headers: { authorization: basic(ADMIN) } });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe(allow);
    expect(res.json().error.message).toContain(method);
  });

  it('answers 413 for a body over the limit, 415 for a non-JSON media type; nothing changes', async () => {
    kit = makeKit();
    const before = kit.backend.snapshot();
    const huge = JSON.stringify({ ResetType: 'ForceOff', pad: 'x'.repeat(REDFISH_BODY_LIMIT_BYTES) });
    const tooLarge = await post(kit, RESET_URI('compute-0'), huge);
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().error.message).toContain(String(REDFISH_BODY_LIMIT_BYTES));
    const text = await kit.app.inject({
      method: 'POST',
      url: RESET_URI('compute-0'),
      headers: { authorization: basic(ADMIN), 'content-type': 'text/plain' },
      payload: '{"ResetType":"ForceOff"}',
    });
    expect(text.statusCode).toBe(415);
    expect(kit.backend.snapshot()).toEqual(before);
  });

  it('rejects JSON with __proto__ keys as malformed (400), not a crash', async () => {
    kit = makeKit();
    const res = await post(kit, RESET_URI('compute-0'), '{"__proto__": {"x": 1}, "ResetType": "ForceOff"}');
    expect(res.statusCode).toBe(400);
    expect(kit.backend.actions).toHaveLength(0);
  });

  it('answers 4xx for a malformed percent-encoding in the path', async () => {
    kit = makeKit();
    const res = await get(kit, '/redfish/v1/Systems/%E0%A4%A');
    expect(res.statusCode).toBe(400);
    expect(errorMessageId(res)).toBe('GeneralError');
    expect(res.headers['odata-version']).toBe('4.0');
  });
});

describe('redfish: reachability faults', () => {
  it('unreachable: requests about that node get no response at all (the connection is destroyed)', async () => {
    kit = makeKit();
    kit.backend.setReachability('compute-0', 'unreachable');
    await expect(get(kit, '/redfish/v1/Systems/compute-0')).rejects.toThrow(/destroyed/);
    await expect(post(kit, RESET_URI('compute-0'), { ResetType: 'ForceOff' })).rejects.toThrow(/destroyed/);
    expect(kit.backend.actions).toHaveLength(0);
    expect((await get(kit, '/redfish/v1/Systems')).statusCode).toBe(200);
    expect((await get(kit, '/redfish/v1/Systems/compute-1')).statusCode).toBe(200);
  });

  it('broken: 500 InternalError naming the node, before auth; nothing changes; restore heals', async () => {
    kit = makeKit();
    kit.backend.setReachability('compute-0', 'broken');
    const res = await post(kit, RESET_URI('compute-0'), { ResetType: 'ForceOff' });
    expect(res.statusCode).toBe(500);
    expect(errorMessageId(res)).toBe('InternalError');
    expect(res.json().error.message).toContain('compute-0');
    expect((await kit.app.inject({ url: '/redfish/v1/Systems/compute-0' })).statusCode).toBe(500);
    expect(kit.backend.power('compute-0')).toBe('on');
    kit.backend.setReachability('compute-0', 'ok');
    expect((await get(kit, '/redfish/v1/Systems/compute-0')).statusCode).toBe(200);
  });
});
