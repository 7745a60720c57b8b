import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IMAGE_ID, SERVER_IDS } from '../../../../support/fake-nova.js';
import { makeHarness, type Harness } from './app-harness.js';

let h: Harness;
let admin: string;
let demo: string;
beforeEach(async () => {
  h = makeHarness();
  admin = await h.login('admin');
  demo = await h.login('demo');
});
afterEach(async () => h.app.close());

const names = (body: { servers: { name: string }[] }) => body.servers.map((s) => s.name).sort();

describe('openstack api: server lists', () => {
  it('lists the caller project only, all projects with all_tenants (admin)', async () => {
    expect(names((await h.call('GET', '/compute/v2.1/servers/detail', { token: admin })).json())).toEqual(['vm-1', 'vm-3', 'web-4']);
    expect(names((await h.call('GET', '/compute/v2.1/servers/detail?all_tenants=1', { token: admin })).json())).toHaveLength(4);
    expect(names((await h.call('GET', '/compute/v2.1/servers/detail?all_tenants=True', { token: admin })).json())).toHaveLength(4);
    expect(names((await h.call('GET', '/compute/v2.1/servers/detail?all_tenants', { token: admin })).json())).toHaveLength(4);
    expect(names((await h.call('GET', '/compute/v2.1/servers/detail?all_tenants=false', { token: admin })).json())).toHaveLength(3);
  });

  it('filters by host (admin) like fence_evacuate and OSC ask', async () => {
    const res = await h.call('GET', '/compute/v2.1/servers/detail?all_tenants=1&host=compute-0', { token: admin });
    expect(names(res.json())).toEqual(['vm-1', 'vm-2']);
  });

  it('drops the host filter for non-admins and refuses all_tenants with 403', async () => {
    expect(names((await h.call('GET', '/compute/v2.1/servers/detail?host=compute-1', { token: demo })).json())).toEqual(['vm-2']);
    const res = await h.call('GET', '/compute/v2.1/servers?all_tenants=1', { token: demo });
    expect(res.statusCode).toBe(403);
    expect(res.json().forbidden.message).toBe("Policy doesn't allow os_compute_api:servers:index:get_all_tenants to be performed.");
  });

  it('filters names by regular expression and answers 400 for a bad all_tenants', async () => {
    expect(names((await h.call('GET', '/compute/v2.1/servers?all_tenants=1&name=^vm-[12]$', { token: admin })).json())).toEqual(['vm-1', 'vm-2']);
    const bad = await h.call('GET', '/compute/v2.1/servers?all_tenants=maybe', { token: admin });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().badRequest.message).toMatch(/^Invalid input received: Unrecognized value 'maybe'/);
  });

  it('renders the short list with id, name, links', async () => {
    const res = await h.call('GET', '/compute/v2.1/servers', { token: admin });
    expect(res.json().servers[0]).toEqual({
      id: SERVER_IDS.vm4,
      name: 'web-4',
      links: [
        { rel: 'self', href: `http://127.0.0.1:5000/compute/v2.1/servers/${SERVER_IDS.vm4}` },
        { rel: 'bookmark', href: `http://127.0.0.1:5000/compute/servers/${SERVER_IDS.vm4}` },
      ],
    });
  });
});

describe('openstack api: server show', () => {
  it('renders the 2.1 shape: flavor reference, image reference, extended attributes for admins', async () => {
    const s = (await h.call('GET', `/compute/v2.1/servers/${SERVER_IDS.vm1}`, { token: admin })).json().server;
    expect(s).toMatchObject({
      id: SERVER_IDS.vm1,
      status: 'ACTIVE',
      tenant_id: 'p-admin',
      'OS-EXT-SRV-ATTR:host': 'compute-0',
      'OS-EXT-STS:vm_state': 'active',
      'OS-EXT-STS:task_state': null,
      'OS-EXT-STS:power_state': 1,
      'OS-EXT-AZ:availability_zone': 'nova',
      created: '2030-01-01T00:00:01Z',
    });
    expect(s.flavor).toEqual({ id: '1', links: [{ rel: 'bookmark', href: 'http://127.0.0.1:5000/compute/flavors/1' }] });
    expect(s.image.id).toBe(IMAGE_ID);
    expect(s.locked).toBeUndefined();
  });

  it('embeds the flavor from 2.47 and adds versioned fields', async () => {
    const s = (await h.call('GET', `/compute/v2.1/servers/${SERVER_IDS.vm3}`, { token: admin, version: '2.92' })).json().server;
    expect(s.flavor).toEqual({ vcpus: 1, ram: 2048, disk: 20, ephemeral: 0, swap: 0, original_name: 'm1.small', extra_specs: { evacuable: 'true', 'hw:watchdog_action': 'reset' } });
    expect(s).toMatchObject({ status: 'SHUTOFF', locked: false, description: null, tags: [], locked_reason: null, host_status: 'UP', server_groups: [] });
  });

  it('reports host_status DOWN for a forced-down host (2.16+, admin)', async () => {
    h.nova.forceDown('compute-0', 'nova-compute', true);
    const s = (await h.call('GET', `/compute/v2.1/servers/${SERVER_IDS.vm1}`, { token: admin, version: '2.16' })).json().server;
    expect(s.host_status).toBe('DOWN');
  });

  it('hides extended server attributes from non-admins and 404s other projects', async () => {
    const own = (await h.call('GET', `/compute/v2.1/servers/${SERVER_IDS.vm2}`, { token: demo, version: '2.16' })).json().server;
    expect(own['OS-EXT-SRV-ATTR:host']).toBeUndefined();
    expect(own.host_status).toBeUndefined();
    const other = await h.call('GET', `/compute/v2.1/servers/${SERVER_IDS.vm1}`, { token: demo });
    expect(other.statusCode).toBe(404);
    expect(other.json()).toEqual({ itemNotFound: { code: 404, message: `Instance ${SERVER_IDS.vm1} could not be found.` } });
  });

  it('answers 404 for unknown servers', async () => {
    expect((await h.call('GET', '/compute/v2.1/servers/nope', { token: admin })).json().itemNotFound.message).toBe('Instance nope could not be found.');
  });
});
