import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SERVER_IDS } from '../../../../support/fake-nova.js';
import { makeHarness, type Harness } from './app-harness.js';

let h: Harness;
let token: string;
beforeEach(async () => {
  h = makeHarness();
  token = await h.login();
});
afterEach(async () => h.app.close());

const evacuate = (id: string, body: unknown, version = '2.1') => h.call('POST', `/compute/v2.1/servers/${id}/action`, { token, version, legacy: true, body });

function hostDown(host: string): void {
  h.nova.forceDown(host, 'nova-compute', true);
}

describe('openstack api: evacuate preconditions', () => {
  it('answers 400 "still in use" while the source compute service is up, and changes nothing', async () => {
    const before = h.nova.snapshot();
    const res = await evacuate(SERVER_IDS.vm1, { evacuate: { onSharedStorage: true } }, '2.11');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ badRequest: { code: 400, message: 'Compute service of compute-0 is still in use.' } });
    expect(h.nova.snapshot()).toBe(before);
  });

  it('answers 409 for a server in a bad vm_state', async () => {
    hostDown('compute-2');
    const res = await evacuate(SERVER_IDS.vm4, { evacuate: { onSharedStorage: true } });
    expect(res.statusCode).toBe(409);
    expect(res.json().conflictingRequest.message).toBe(`Cannot 'evacuate' instance ${SERVER_IDS.vm4} while it is in vm_state paused`);
  });

  it('answers 404 for an unknown target host or server, 400 for the same host', async () => {
    hostDown('compute-0');
    expect((await evacuate(SERVER_IDS.vm1, { evacuate: { onSharedStorage: true, host: 'ghost' } })).json()).toEqual({
      itemNotFound: { code: 404, message: 'Compute host ghost not found.' },
    });
    expect((await evacuate('nope', { evacuate: { onSharedStorage: true } })).statusCode).toBe(404);
    expect((await evacuate(SERVER_IDS.vm1, { evacuate: { onSharedStorage: true, host: 'compute-0' } })).json().badRequest.message).toBe(
      "The target host can't be the same one.",
    );
  });

  it('is admin-only', async () => {
    hostDown('compute-0');
    const demo = await h.login('demo');
    const res = await h.call('POST', `/compute/v2.1/servers/${SERVER_IDS.vm2}/action`, { token: demo, body: { evacuate: { onSharedStorage: true } } });
    expect(res.statusCode).toBe(403);
    expect(h.nova.migrations()).toHaveLength(0);
  });
});

describe('openstack api: evacuate by microversion', () => {
  beforeEach(() => hostDown('compute-0'));

  it('below 2.14 requires onSharedStorage and answers 200 {"adminPass": null} on shared storage', async () => {
    const missing = await evacuate(SERVER_IDS.vm1, { evacuate: {} });
    expect(missing.json().badRequest.message).toBe("Invalid input for field/attribute evacuate. Value: {}. 'onSharedStorage' is a required property");
    const res = await evacuate(SERVER_IDS.vm1, { evacuate: { onSharedStorage: 'True' } }, '2.11');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ adminPass: null });
    expect(h.nova.instance(SERVER_IDS.vm1)?.host).toBe('compute-1');
    expect(h.nova.migrations({ instanceUuid: SERVER_IDS.vm1 })[0]).toMatchObject({ migrationType: 'evacuation', sourceCompute: 'compute-0', status: 'done' });
  });

  it('below 2.14 generates a password off shared storage and refuses adminPass on shared storage', async () => {
    expect((await evacuate(SERVER_IDS.vm1, { evacuate: { onSharedStorage: true, adminPass: 'x' } })).json().badRequest.message).toBe(
      "admin password can't be changed on existing disk",
    );
    const res = await evacuate(SERVER_IDS.vm1, { evacuate: { onSharedStorage: false } });
    expect(typeof res.json().adminPass).toBe('string');
  });

  it('from 2.14 rejects onSharedStorage and answers an empty 200', async () => {
    const old = await evacuate(SERVER_IDS.vm1, { evacuate: { onSharedStorage: true } }, '2.14');
    expect(old.json().badRequest.message).toMatch(/Additional properties are not allowed \('onSharedStorage' was unexpected\)/);
    const res = await evacuate(SERVER_IDS.vm1, { evacuate: {} }, '2.14');
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
  });

  it('accepts force 2.29–2.67 (never without a host) and rejects it from 2.68', async () => {
    expect((await evacuate(SERVER_IDS.vm1, { evacuate: { force: true } }, '2.29')).json().badRequest.message).toBe("Can't force to a non-provided destination");
    expect((await evacuate(SERVER_IDS.vm1, { evacuate: { host: 'compute-2', force: true } }, '2.68')).statusCode).toBe(400);
    expect((await evacuate(SERVER_IDS.vm1, { evacuate: { host: 'compute-2', force: true } }, '2.67')).statusCode).toBe(200);
    expect(h.nova.instance(SERVER_IDS.vm1)?.host).toBe('compute-2');
  });

  it('answers 400 for other actions and malformed action bodies', async () => {
    expect((await evacuate(SERVER_IDS.vm1, { 'os-stop': null })).json().badRequest.message).toBe('There is no such action: os-stop');
    expect((await evacuate(SERVER_IDS.vm1, { evacuate: {}, x: 1 })).json().badRequest.message).toBe('Malformed request body');
    expect((await evacuate(SERVER_IDS.vm1, [1])).statusCode).toBe(400);
    expect((await evacuate(SERVER_IDS.vm1, { evacuate: { host: 'bad host!' } }, '2.14')).json().badRequest.message).toMatch(/does not match/);
  });
});
