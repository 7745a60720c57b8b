import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IMAGE_ID, SERVER_IDS } from '../../../../support/fake-nova.js';
import { makeHarness, type Harness } from './app-harness.js';

let h: Harness;
let token: string;
beforeEach(async () => {
  h = makeHarness();
  token = await h.login();
});
afterEach(async () => h.app.close());

const get = (url: string, version?: string, t = token) => h.call('GET', `/compute/v2.1${url}`, { token: t, ...(version ? { version } : {}) });

describe('openstack api: hypervisors', () => {
  it('renders the 2.1 detail with integer ids, counters and a cpu_info string', async () => {
    const hv = (await get('/os-hypervisors/detail')).json().hypervisors[0];
    expect(hv).toMatchObject({ id: 1, hypervisor_hostname: 'compute-0', state: 'up', status: 'enabled', vcpus: 8, running_vms: 2 });
    expect(hv.service).toEqual({ host: 'compute-0', id: 3, disabled_reason: null });
    expect(typeof hv.cpu_info).toBe('string');
  });

  it('uses UUIDs from 2.53, drops counters and cpu_info and adds uptime at 2.88, lists briefly at /os-hypervisors', async () => {
    expect(typeof (await get('/os-hypervisors/detail', '2.87')).json().hypervisors[0].cpu_info).toBe('object');
    const hv = (await get('/os-hypervisors/detail', '2.88')).json().hypervisors[0];
    expect(hv.id).toMatch(/^c0ffee00-/);
    expect(hv.vcpus).toBeUndefined();
    expect(hv.cpu_info).toBeUndefined();
    expect(hv.uptime).toMatch(/ up .*load average/);
    expect((await get('/os-hypervisors')).json().hypervisors[1]).toEqual({ id: 2, hypervisor_hostname: 'compute-1', state: 'up', status: 'enabled' });
  });

  it('is admin-only', async () => {
    expect((await get('/os-hypervisors/detail', undefined, await h.login('demo'))).statusCode).toBe(403);
  });
});

describe('openstack api: migrations', () => {
  beforeEach(async () => {
    h.nova.forceDown('compute-0', 'nova-compute', true);
    h.nova.evacuate(SERVER_IDS.vm1, {});
  });

  it('lists evacuations with the type hidden below 2.23 and uuid from 2.59', async () => {
    const m21 = (await get('/os-migrations')).json().migrations[0];
    expect(m21).toMatchObject({ id: 1, instance_uuid: SERVER_IDS.vm1, source_compute: 'compute-0', dest_compute: 'compute-1', status: 'done' });
    expect(m21.migration_type).toBeUndefined();
    const m59 = (await get('/os-migrations', '2.59')).json().migrations[0];
    expect(m59).toMatchObject({ migration_type: 'evacuation', uuid: expect.stringMatching(/^a1b2c3d4/) });
    expect((await get('/os-migrations', '2.80')).json().migrations[0]).toMatchObject({ project_id: 'p-admin', user_id: 'u-admin' });
  });

  it('filters by host, status, source_compute, migration_type, instance_uuid', async () => {
    expect((await get('/os-migrations?host=compute-1')).json().migrations).toHaveLength(1);
    expect((await get('/os-migrations?host=compute-2')).json().migrations).toHaveLength(0);
    expect((await get('/os-migrations?status=done&source_compute=compute-0&migration_type=evacuation')).json().migrations).toHaveLength(1);
    expect((await get(`/os-migrations?instance_uuid=${SERVER_IDS.vm3}`)).json().migrations).toHaveLength(0);
  });

  it('never lists evacuations under /servers/{id}/migrations (live migrations only, ≥ 2.23)', async () => {
    expect((await get(`/servers/${SERVER_IDS.vm1}/migrations`, '2.23')).json()).toEqual({ migrations: [] });
    expect((await get(`/servers/${SERVER_IDS.vm1}/migrations`, '2.22')).statusCode).toBe(404);
    expect((await get('/servers/nope/migrations', '2.23')).statusCode).toBe(404);
  });
});

describe('openstack api: flavors', () => {
  it('lists details with is_public semantics', async () => {
    const all = (await get('/flavors/detail?is_public=None')).json().flavors;
    expect(all[1]).toMatchObject({ id: '2', name: 'm1.small', ram: 2048, vcpus: 1, disk: 20, swap: '', 'os-flavor-access:is_public': true });
    expect(all[1].extra_specs).toBeUndefined();
    expect((await get('/flavors/detail?is_public=false')).json().flavors).toEqual([]);
    expect((await get('/flavors/detail?is_public=maybe')).statusCode).toBe(400);
    expect((await get('/flavors')).json().flavors[0]).toEqual({ id: '1', name: 'm1.tiny', links: expect.any(Array) });
  });

  it('inlines extra_specs from 2.61 and swap 0 from 2.75', async () => {
    const f = (await get('/flavors/2', '2.75')).json().flavor;
    expect(f).toMatchObject({ extra_specs: { evacuable: 'true' }, swap: 0, description: null });
  });

  it('serves extra specs and 404s unknown flavors and keys', async () => {
    expect((await get('/flavors/2/os-extra_specs')).json()).toEqual({ extra_specs: { evacuable: 'true', 'hw:watchdog_action': 'reset' } });
    expect((await get('/flavors/2/os-extra_specs/evacuable')).json()).toEqual({ evacuable: 'true' });
    expect((await get('/flavors/2/os-extra_specs/nope')).statusCode).toBe(404);
    expect((await get('/flavors/m1.small')).json()).toEqual({ itemNotFound: { code: 404, message: 'Flavor m1.small could not be found.' } });
  });
});

describe('openstack api: zones, aggregates, server groups', () => {
  it('lists availability zones, with hosts and services in /detail (admin)', async () => {
    expect((await get('/os-availability-zone')).json()).toEqual({ availabilityZoneInfo: [{ zoneName: 'nova', zoneState: { available: true }, hosts: null }] });
    const detail = (await get('/os-availability-zone/detail')).json().availabilityZoneInfo;
    expect(detail.map((z: { zoneName: string }) => z.zoneName)).toEqual(['internal', 'nova']);
    expect(detail[1].hosts['compute-0']['nova-compute']).toMatchObject({ available: true, active: true });
    expect((await get('/os-availability-zone/detail', undefined, await h.login('demo'))).statusCode).toBe(403);
  });

  it('lists aggregates (admin) and server groups by microversion', async () => {
    expect((await get('/os-aggregates')).json().aggregates[0]).toMatchObject({ id: 1, name: 'rack1', hosts: ['compute-0', 'compute-1'] });
    expect((await get('/os-aggregates', '2.41')).json().aggregates[0].uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect((await get('/os-server-groups')).json().server_groups[0]).toMatchObject({ name: 'ha-group', policies: ['anti-affinity'], members: [SERVER_IDS.vm1] });
    expect((await get('/os-server-groups', '2.64')).json().server_groups[0]).toMatchObject({ policy: 'anti-affinity', rules: {}, project_id: 'p-admin' });
    expect((await get('/os-server-groups/nope')).statusCode).toBe(404);
  });
});

describe('openstack api: glance', () => {
  it('discovers v2 at /image and /image/versions without a token', async () => {
    for (const url of ['/image', '/image/', '/image/versions']) {
      const res = await h.call('GET', url);
      expect(res.json().versions[0].links[0].href).toBe('http://127.0.0.1:5000/image/v2/');
    }
  });

  it('lists images with properties flattened and tags, filters by tag', async () => {
    const res = await h.call('GET', '/image/v2/images', { token });
    const body = res.json();
    expect(body).toMatchObject({ schema: '/v2/schemas/images', first: '/v2/images' });
    expect(body.next).toBeUndefined();
    expect(body.images[0]).toMatchObject({ id: IMAGE_ID, name: 'cirros', status: 'active', tags: ['evacuable'], hw_watchdog_action: 'poweroff' });
    expect((await h.call('GET', '/image/v2/images?tag=evacuable', { token })).json().images).toHaveLength(1);
    expect((await h.call('GET', '/image/v2/images?tag=other', { token })).json().images).toHaveLength(0);
    expect((await h.call('GET', '/image/v2/images?limit=x', { token })).statusCode).toBe(400);
  });

  it('shows one image, 404 for unknown, 401 without a token', async () => {
    expect((await h.call('GET', `/image/v2/images/${IMAGE_ID}`, { token })).json().size).toBe(Math.round(12.6 * 1024 * 1024));
    expect((await h.call('GET', '/image/v2/images/nope', { token })).json()).toEqual({ code: 404, title: 'Not Found', message: 'No image found with ID nope' });
    expect((await h.call('GET', '/image/v2/images')).statusCode).toBe(401);
  });
});
