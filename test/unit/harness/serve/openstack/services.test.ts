import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SERVER_IDS } from '../../../../support/fake-nova.js';
import { makeHarness, type Harness } from './app-harness.js';

const C0_UUID = '5a0c1d2e-3f40-4a5b-8c6d-000000000003';
const SCHED_UUID = '5a0c1d2e-3f40-4a5b-8c6d-000000000001';

let h: Harness;
let token: string;
beforeEach(async () => {
  h = makeHarness();
  token = await h.login();
});
afterEach(async () => h.app.close());

const put = (url: string, body: unknown, version: string) => h.call('PUT', `/compute/v2.1/os-services${url}`, { token, version, body });

describe('openstack api: os-services list', () => {
  it('renders integer ids and no forced_down at 2.1', async () => {
    const res = await h.call('GET', '/compute/v2.1/os-services', { token });
    const c0 = res.json().services.find((s: { host: string }) => s.host === 'compute-0');
    expect(c0).toEqual({
      binary: 'nova-compute',
      host: 'compute-0',
      id: 3,
      zone: 'nova',
      status: 'enabled',
      state: 'up',
      updated_at: '2030-01-01T00:00:00.000000',
      disabled_reason: null,
    });
  });

  it('adds forced_down at 2.11 and uses UUID ids from 2.53', async () => {
    const v211 = (await h.call('GET', '/compute/v2.1/os-services', { token, version: '2.11', legacy: true })).json().services;
    expect(v211[0].forced_down).toBe(false);
    expect(typeof v211[0].id).toBe('number');
    const v253 = (await h.call('GET', '/compute/v2.1/os-services', { token, version: '2.53' })).json().services;
    expect(v253.map((s: { id: string }) => s.id)).toContain(C0_UUID);
  });

  it('filters by host and binary (exact match)', async () => {
    const res = await h.call('GET', '/compute/v2.1/os-services?host=compute-0&binary=nova-compute', { token });
    expect(res.json().services).toHaveLength(1);
    expect((await h.call('GET', '/compute/v2.1/os-services?host=compute', { token })).json().services).toHaveLength(0);
    expect((await h.call('GET', '/compute/v2.1/os-services?binary=nova-conductor', { token })).json().services).toHaveLength(1);
  });

  it('reports a service down once its heartbeat is stale', async () => {
    h.nova.setAlive('compute-1', false);
    h.nova.nowMs = 61_000;
    const res = await h.call('GET', '/compute/v2.1/os-services?host=compute-1', { token });
    expect(res.json().services[0].state).toBe('down');
  });

  it('rejects unknown query parameters from 2.75', async () => {
    expect((await h.call('GET', '/compute/v2.1/os-services?foo=1', { token, version: '2.74' })).statusCode).toBe(200);
    expect((await h.call('GET', '/compute/v2.1/os-services?foo=1', { token, version: '2.75' })).statusCode).toBe(400);
  });

  it('is admin-only', async () => {
    const demo = await h.login('demo');
    const res = await h.call('GET', '/compute/v2.1/os-services', { token: demo });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ forbidden: { code: 403, message: "Policy doesn't allow os_compute_api:os-services:list to be performed." } });
  });
});

describe('openstack api: os-services legacy update (2.1–2.52)', () => {
  const target = { host: 'compute-0', binary: 'nova-compute' };

  it('disables, disables with a reason, enables', async () => {
    expect((await put('/disable', target, '2.1')).json()).toEqual({ service: { ...target, status: 'disabled' } });
    const reason = await put('/disable-log-reason', { ...target, disabled_reason: 'fenced' }, '2.1');
    expect(reason.json()).toEqual({ service: { ...target, status: 'disabled', disabled_reason: 'fenced' } });
    expect(h.nova.services({ host: 'compute-0' })[0]?.disabledReason).toBe('fenced');
    expect((await put('/enable', target, '2.1')).json()).toEqual({ service: { ...target, status: 'enabled' } });
    expect(h.nova.services({ host: 'compute-0' })[0]?.status).toBe('enabled');
  });

  it('forces down from 2.11 (bool or bool string), 404 Unknown action below', async () => {
    expect((await put('/force-down', { ...target, forced_down: true }, '2.10')).statusCode).toBe(400);
    expect((await put('/force-down', target, '2.10')).json()).toEqual({ itemNotFound: { code: 404, message: 'Unknown action' } });
    const res = await put('/force-down', { ...target, forced_down: 'true' }, '2.11');
    expect(res.json()).toEqual({ service: { ...target, forced_down: true } });
    expect(h.nova.services({ host: 'compute-0' })[0]?.state).toBe('down');
  });

  it('refuses missing fields, wrong binaries, unknown hosts', async () => {
    expect((await put('/force-down', target, '2.11')).json().badRequest.message).toBe('Missing forced_down field');
    expect((await put('/disable-log-reason', target, '2.11')).json().badRequest.message).toBe('Missing disabled reason field');
    const sched = await put('/disable', { host: 'controller-0', binary: 'nova-scheduler' }, '2.11');
    expect(sched.json().badRequest.message).toBe('Updating a nova-scheduler service is not supported. Only nova-compute services can be updated.');
    const ghost = await put('/disable', { host: 'ghost', binary: 'nova-compute' }, '2.11');
    expect(ghost.json()).toEqual({ itemNotFound: { code: 404, message: 'Could not find binary nova-compute on host ghost.' } });
  });

  it('validates the body like Nova (required, types, additional properties)', async () => {
    expect((await put('/disable', { host: 'compute-0' }, '2.1')).json().badRequest.message).toBe("'binary' is a required property");
    const extra = await put('/disable', { ...target, x: 1 }, '2.1');
    expect(extra.json().badRequest.message).toBe("Additional properties are not allowed ('x' was unexpected)");
    const type = await put('/force-down', { ...target, forced_down: 'maybe' }, '2.11');
    expect(type.json().badRequest.message).toMatch(/^Invalid input for field\/attribute forced_down\. Value: 'maybe'\. 'maybe' is not one of \[True, 'True'/);
  });

  it('refuses to force a host up while done evacuations remain, and changes nothing', async () => {
    await put('/force-down', { ...target, forced_down: true }, '2.11');
    const evac = await h.call('POST', `/compute/v2.1/servers/${SERVER_IDS.vm1}/action`, { token, body: { evacuate: { onSharedStorage: true } } });
    expect(evac.statusCode).toBe(200);
    const before = h.nova.snapshot();
    const up = await put('/force-down', { ...target, forced_down: false }, '2.11');
    expect(up.statusCode).toBe(400);
    expect(up.json().badRequest.message).toMatch(/^Unable to force up host compute-0 as `done` evacuation migration records remain/);
    expect(h.nova.snapshot()).toBe(before);
  });
});

describe('openstack api: os-services update by uuid (≥ 2.53)', () => {
  it('updates status, reason and forced_down and answers the full service', async () => {
    const res = await put(`/${C0_UUID}`, { status: 'disabled', disabled_reason: 'maintenance', forced_down: true }, '2.53');
    expect(res.statusCode).toBe(200);
    expect(res.json().service).toMatchObject({ id: C0_UUID, status: 'disabled', disabled_reason: 'maintenance', forced_down: true, state: 'down' });
  });

  it('answers Nova errors: bad uuid, unknown, not compute, empty update, enabled with reason', async () => {
    expect((await put('/force-down', {}, '2.53')).json().badRequest.message).toBe('Invalid uuid force-down');
    expect((await put('/force-down', { host: 'compute-0', binary: 'nova-compute', forced_down: true }, '2.53')).statusCode).toBe(400);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await put(`/${unknown}`, { status: 'enabled' }, '2.53')).json().itemNotFound.message).toBe(`Service ${unknown} could not be found.`);
    expect((await put(`/${SCHED_UUID}`, { status: 'disabled' }, '2.53')).statusCode).toBe(400);
    expect((await put(`/${C0_UUID}`, { disabled_reason: 'x' }, '2.53')).json().badRequest.message).toBe(
      "No updates were requested. Fields 'status' or 'forced_down' should be specified.",
    );
    expect((await put(`/${C0_UUID}`, { status: 'enabled', disabled_reason: 'x' }, '2.53')).json().badRequest.message).toBe(
      "Specifying 'disabled_reason' with status 'enabled' is invalid.",
    );
    expect((await put(`/${C0_UUID}`, { status: 'off' }, '2.53')).statusCode).toBe(400);
  });

  it('is admin-only and a refused update changes nothing', async () => {
    const demo = await h.login('demo');
    const before = h.nova.snapshot();
    const res = await h.call('PUT', `/compute/v2.1/os-services/${C0_UUID}`, { token: demo, version: '2.53', body: { forced_down: true } });
    expect(res.statusCode).toBe(403);
    expect(h.nova.snapshot()).toBe(before);
  });
});
