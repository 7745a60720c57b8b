/**
 * `os-hypervisors` as nova/api/openstack/compute/hypervisors.py serves it: the 2.53 pattern and with_servers
 * query parameters, show/uptime/search/servers/statistics, each in its microversion range, and paging (≥ 2.33).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqlLikeContains } from '../../../../../harness/serve/openstack/nova-hypervisors.js';
import { SERVER_IDS } from '../../../../support/fake-nova.js';
import { makeHarness, type Harness } from './app-harness.js';

let h: Harness;
let token: string;
beforeEach(async () => {
  h = makeHarness();
  token = await h.login();
});
afterEach(async () => h.app.close());

const get = (url: string, version?: string, t = token) => h.call('GET', `/compute/v2.1${url}`, { token: t, ...(version ? { version } : {}) });
const UUID1 = 'c0ffee00-0000-4000-8000-000000000001';

describe('os-hypervisors: hostname pattern and with_servers (≥ 2.53)', () => {
  it('matches a substring and lists each hypervisor\'s servers as {name, uuid}', async () => {
    const res = await get('/os-hypervisors?hypervisor_hostname_pattern=pute-0&with_servers=True', '2.53');
    expect(res.statusCode).toBe(200);
    expect(res.json().hypervisors).toEqual([
      { id: UUID1, hypervisor_hostname: 'compute-0', state: 'up', status: 'enabled', servers: [{ name: 'vm-1', uuid: SERVER_IDS.vm1 }, { name: 'vm-2', uuid: SERVER_IDS.vm2 }] },
    ]);
    const detail = (await get('/os-hypervisors/detail?hypervisor_hostname_pattern=COMPUTE&with_servers=true', '2.53')).json().hypervisors;
    expect(detail.map((x: { hypervisor_hostname: string }) => x.hypervisor_hostname)).toEqual(['compute-0', 'compute-1', 'compute-2']);
    expect(detail[2]).toMatchObject({ hypervisor_type: 'QEMU', servers: [{ name: 'web-4', uuid: SERVER_IDS.vm4 }] });
  });

  it('answers 404 when nothing matches and 400 for paging with a pattern, a bad pattern, a bad boolean, an unknown parameter', async () => {
    const none = await get('/os-hypervisors?hypervisor_hostname_pattern=nope', '2.53');
    expect(none.statusCode).toBe(404);
    expect(none.json().itemNotFound.message).toBe("No hypervisor matching 'nope' could be found.");
    expect((await get('/os-hypervisors?hypervisor_hostname_pattern=c&limit=1', '2.53')).json().badRequest.message).toBe(
      'Paging over hypervisors with the hypervisor_hostname_pattern query parameter is not supported.',
    );
    expect((await get('/os-hypervisors?hypervisor_hostname_pattern=a%20b', '2.53')).json().badRequest.message).toBe(
      "Invalid input for query parameters hypervisor_hostname_pattern. Value: a b. 'a b' does not match '^[a-zA-Z0-9-._]*$'",
    );
    expect((await get('/os-hypervisors?with_servers=maybe', '2.53')).statusCode).toBe(400);
    expect((await get('/os-hypervisors?x=1', '2.53')).json().badRequest.message).toBe("Additional properties are not allowed ('x' was unexpected)");
  });

  it('lists an empty servers array from 2.75 only, and ignores the parameters below 2.53', async () => {
    h.nova.forceDown('compute-1', 'nova-compute', true);
    h.nova.evacuate(SERVER_IDS.vm3, { host: 'compute-0' });
    const empty = (await get('/os-hypervisors?hypervisor_hostname_pattern=compute-1&with_servers=1', '2.75')).json().hypervisors[0];
    expect(empty.servers).toEqual([]);
    expect((await get('/os-hypervisors?hypervisor_hostname_pattern=compute-1&with_servers=1', '2.74')).json().hypervisors[0].servers).toBeUndefined();
    expect((await get('/os-hypervisors?hypervisor_hostname_pattern=nope&with_servers=1', '2.52')).json().hypervisors).toHaveLength(3);
  });

  it('evaluates LIKE wildcards without backtracking', () => {
    expect(sqlLikeContains('ute_1', 'compute-1')).toBe(true);
    expect(sqlLikeContains('%e-', 'compute-1')).toBe(true);
    expect(sqlLikeContains('x', 'compute-1')).toBe(false);
    expect(sqlLikeContains('%a'.repeat(200), 'a'.repeat(199))).toBe(false);
  });
});

describe('os-hypervisors/{id}, uptime, search, servers, statistics', () => {
  it('shows by integer id below 2.53 (404 otherwise) and by UUID from 2.53 (400 otherwise), with_servers from 2.53', async () => {
    expect((await get('/os-hypervisors/1')).json().hypervisor).toMatchObject({ id: 1, hypervisor_hostname: 'compute-0', vcpus: 8, service: { host: 'compute-0', id: 3 } });
    const byName = await get('/os-hypervisors/compute-0');
    expect(byName.statusCode).toBe(404);
    expect(byName.json().itemNotFound.message).toBe("Hypervisor with ID 'compute-0' could not be found.");
    expect((await get('/os-hypervisors/9')).statusCode).toBe(404);
    expect((await get('/os-hypervisors/1', '2.53')).json().badRequest.message).toBe('Invalid uuid 1');
    const shown = (await get(`/os-hypervisors/${UUID1}?with_servers=true`, '2.53')).json().hypervisor;
    expect(shown).toMatchObject({ id: UUID1, servers: [{ name: 'vm-1' }, { name: 'vm-2' }] });
    expect((await get(`/os-hypervisors/${UUID1}?foo=1`, '2.53')).statusCode).toBe(400);
    expect((await get('/os-hypervisors/c0ffee00-0000-4000-8000-000000000009', '2.53')).statusCode).toBe(404);
  });

  it('serves uptime until 2.87 (400 for a down host) and 404 from 2.88', async () => {
    const up = (await get('/os-hypervisors/1/uptime')).json().hypervisor;
    expect(up).toMatchObject({ id: 1, hypervisor_hostname: 'compute-0', state: 'up' });
    expect(up.uptime).toMatch(/^\s*(.+)\sup\s+(.+),\s+(.+)\susers?,\s+load average:\s(.+)/);
    expect((await get(`/os-hypervisors/${UUID1}/uptime`, '2.87')).statusCode).toBe(200);
    expect((await get(`/os-hypervisors/${UUID1}/uptime`, '2.88')).statusCode).toBe(404);
    h.nova.forceDown('compute-1', 'nova-compute', true);
    expect((await get('/os-hypervisors/2/uptime')).json().badRequest.message).toBe('Compute service of compute-1 is unavailable at this time.');
  });

  it('serves /{pattern}/search and /{pattern}/servers below 2.53 only, 404 when nothing matches', async () => {
    expect((await get('/os-hypervisors/compute-1/search')).json().hypervisors).toEqual([{ id: 2, hypervisor_hostname: 'compute-1', state: 'up', status: 'enabled' }]);
    expect((await get('/os-hypervisors/compute-1/servers', '2.52')).json().hypervisors[0].servers).toEqual([{ name: 'vm-3', uuid: SERVER_IDS.vm3 }]);
    expect((await get('/os-hypervisors/zzz/servers')).statusCode).toBe(404);
    expect((await get('/os-hypervisors/compute-1/search', '2.53')).json()).toEqual({ itemNotFound: { code: 404, message: 'The resource could not be found.' } });
    expect((await get('/os-hypervisors/compute-1/servers', '2.53')).statusCode).toBe(404);
  });

  it('serves statistics until 2.87, 404 from 2.88; every route is admin-only', async () => {
    expect((await get('/os-hypervisors/statistics', '2.87')).json().hypervisor_statistics).toMatchObject({ count: 3, vcpus: 24, running_vms: 4 });
    expect((await get('/os-hypervisors/statistics', '2.88')).statusCode).toBe(404);
    const demo = await h.login('demo');
    for (const url of ['/os-hypervisors/1', '/os-hypervisors/1/uptime', '/os-hypervisors/c/search', '/os-hypervisors/statistics']) {
      expect((await get(url, undefined, demo)).statusCode).toBe(403);
    }
  });
});

describe('os-hypervisors paging (≥ 2.33)', () => {
  it('pages by limit and marker with hypervisors_links; ignores them below 2.33; unknown marker → 400', async () => {
    const first = (await get('/os-hypervisors?limit=2', '2.33')).json();
    expect(first.hypervisors.map((x: { id: number }) => x.id)).toEqual([1, 2]);
    expect(first.hypervisors_links).toEqual([{ rel: 'next', href: 'http://127.0.0.1:5000/compute/v2.1/os-hypervisors?limit=2&marker=2' }]);
    const second = (await get('/os-hypervisors/detail?limit=2&marker=2', '2.33')).json();
    expect(second.hypervisors.map((x: { id: number }) => x.id)).toEqual([3]);
    expect(second.hypervisors_links).toBeUndefined();
    expect((await get(`/os-hypervisors?marker=${UUID1}`, '2.53')).json().hypervisors).toHaveLength(2);
    expect((await get('/os-hypervisors?limit=2')).json().hypervisors).toHaveLength(3);
    expect((await get('/os-hypervisors?marker=77', '2.33')).json().badRequest.message).toBe('marker [77] not found');
    expect((await get('/os-hypervisors?limit=-1', '2.33')).statusCode).toBe(400);
  });
});
