/**
 * The minimal Neutron under /networking: catalog entry, version documents, networks/subnets/ports derived from
 * the world (one port per instance, `binding:host_id` = the instance's host as Nova sees it, the same MAC/IP as
 * Nova's `addresses`), filters validated as Neutron's filter-validation does, NeutronError bodies.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { instancePorts } from '../../../../../harness/serve/openstack/neutron-model.js';
import { FakeNova, SERVER_IDS } from '../../../../support/fake-nova.js';
import { makeHarness, PUBLIC_URL, type Harness } from './app-harness.js';

let h: Harness;
let admin: string;
beforeEach(async () => {
  h = makeHarness();
  admin = await h.login();
});
afterEach(async () => h.app.close());

/** `null`: no token. */
const net = (url: string, token: string | null = admin) => h.call('GET', `/networking${url}`, token ? { token } : {});

describe('neutron: discovery and catalog', () => {
  it('lists v2.0 at /networking without a token and is in the catalog as type network', async () => {
    expect((await net('', null)).json()).toEqual({ versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ rel: 'self', href: `${PUBLIC_URL}/networking/v2.0/` }] }] });
    const login = await h.call('POST', '/identity/v3/auth/tokens', { body: { auth: { identity: { methods: ['password'], password: { user: { name: 'demo', password: 'secret', domain: { name: 'Default' } } } } } } });
    const network = login.json().token.catalog.find((s: { type: string }) => s.type === 'network');
    expect(network).toMatchObject({ name: 'neutron', endpoints: expect.arrayContaining([expect.objectContaining({ interface: 'public', url: `${PUBLIC_URL}/networking` })]) });
    expect((await net('/v2.0/')).json().resources.map((r: { collection: string }) => r.collection)).toContain('ports');
  });

  it('needs a token for v2.0 (keystonemiddleware 401) and lists the availability_zone and binding extensions', async () => {
    expect((await net('/v2.0/networks', null)).statusCode).toBe(401);
    expect((await net('/v2.0/nope', null)).statusCode).toBe(401);
    const aliases = (await net('/v2.0/extensions')).json().extensions.map((e: { alias: string }) => e.alias);
    expect(aliases).toEqual(expect.arrayContaining(['availability_zone', 'binding']));
    expect((await net('/v2.0/extensions/binding')).json().extension.name).toBe('Port Binding');
    expect((await net('/v2.0/availability_zones')).json().availability_zones).toEqual([
      { name: 'nova', resource: 'network', state: 'available' },
      { name: 'nova', resource: 'router', state: 'available' },
    ]);
  });
});

describe('neutron: networks, subnets, ports', () => {
  it('serves one shared network with one subnet, by list and by id', async () => {
    const [network] = (await net('/v2.0/networks')).json().networks;
    expect(network).toMatchObject({ name: 'private', shared: true, status: 'ACTIVE' });
    const [subnet] = (await net('/v2.0/subnets')).json().subnets;
    expect(subnet).toMatchObject({ network_id: network.id, cidr: '10.0.0.0/16', ip_version: 4 });
    expect(network.subnets).toEqual([subnet.id]);
    expect((await net(`/v2.0/networks/${network.id}`)).json().network.id).toBe(network.id);
    expect((await net(`/v2.0/subnets/${subnet.id}`)).json().subnet.id).toBe(subnet.id);
  });

  it('gives every instance one port bound to its host, filterable by device_id, binding:host_id and network_id', async () => {
    const ports = (await net('/v2.0/ports')).json().ports;
    expect(ports).toHaveLength(4);
    const onHost = (await net('/v2.0/ports?binding:host_id=compute-0')).json().ports;
    expect(onHost.map((p: { device_id: string }) => p.device_id).sort()).toEqual([SERVER_IDS.vm1, SERVER_IDS.vm2]);
    expect(onHost.every((p: Record<string, unknown>) => p['binding:host_id'] === 'compute-0' && p['device_owner'] === 'compute:nova')).toBe(true);
    const [vm3] = (await net(`/v2.0/ports?device_id=${SERVER_IDS.vm3}`)).json().ports;
    expect(vm3).toMatchObject({ 'binding:host_id': 'compute-1', status: 'DOWN', mac_address: expect.stringMatching(/^fa:16:3e(:[0-9a-f]{2}){3}$/) });
    expect((await net(`/v2.0/ports/${vm3.id}`)).json().port).toEqual(vm3);
    expect((await net(`/v2.0/ports?network_id=${vm3.network_id}&device_id=${SERVER_IDS.vm3}&device_id=${SERVER_IDS.vm4}`)).json().ports).toHaveLength(2);
    expect((await net(`/v2.0/ports?fixed_ips=ip_address%3D${vm3.fixed_ips[0].ip_address}`)).json().ports).toEqual([vm3]);
    expect((await net('/v2.0/ports?fields=id&fields=device_id')).json().ports[0]).toEqual({ id: expect.any(String), device_id: expect.any(String) });
  });

  it('moves the port binding with an evacuation and keeps its MAC and IP', async () => {
    const before = (await net(`/v2.0/ports?device_id=${SERVER_IDS.vm3}`)).json().ports[0];
    h.nova.forceDown('compute-1', 'nova-compute', true);
    h.nova.evacuate(SERVER_IDS.vm3, { host: 'compute-2' });
    const after = (await net(`/v2.0/ports?device_id=${SERVER_IDS.vm3}`)).json().ports[0];
    expect(after).toMatchObject({ id: before.id, mac_address: before.mac_address, fixed_ips: before.fixed_ips, 'binding:host_id': 'compute-2' });
  });

  it('fills Nova addresses from the same ports', async () => {
    const port = (await net(`/v2.0/ports?device_id=${SERVER_IDS.vm1}`)).json().ports[0];
    const server = (await h.call('GET', `/compute/v2.1/servers/${SERVER_IDS.vm1}`, { token: admin })).json().server;
    expect(server.addresses).toEqual({ private: [{ version: 4, addr: port.fixed_ips[0].ip_address, 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': port.mac_address }] });
  });

  it('shows a member its own project\'s ports without binding attributes', async () => {
    const demo = await h.login('demo');
    const ports = (await net('/v2.0/ports', demo)).json().ports;
    expect(ports.map((p: { device_id: string }) => p.device_id)).toEqual([SERVER_IDS.vm2]);
    expect(ports[0]['binding:host_id']).toBeUndefined();
    expect((await net('/v2.0/networks', demo)).json().networks).toHaveLength(1);
  });

  it('derives distinct addresses deterministically from the instance uuids', () => {
    const a = instancePorts(new FakeNova());
    const b = instancePorts(new FakeNova());
    expect(a.map((p) => [p.id, p.mac, p.ip])).toEqual(b.map((p) => [p.id, p.mac, p.ip]));
    expect(new Set(a.map((p) => p.ip)).size).toBe(a.length);
  });
});

describe('neutron: input validation', () => {
  it('answers 404 NeutronError for unknown ids and 400 for attributes that are not filters', async () => {
    const port = await net('/v2.0/ports/nope');
    expect(port.statusCode).toBe(404);
    expect(port.json()).toEqual({ NeutronError: { type: 'PortNotFound', message: 'Port nope could not be found.', detail: '' } });
    expect((await net('/v2.0/networks/x')).json().NeutronError.type).toBe('NetworkNotFound');
    expect((await net('/v2.0/subnets/x')).json().NeutronError.type).toBe('SubnetNotFound');
    const bad = await net('/v2.0/ports?foo=1&host=compute-0');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ NeutronError: { type: 'HTTPBadRequest', message: "['foo', 'host'] is invalid attribute for filtering", detail: '' } });
    expect((await net('/v2.0/ports?fixed_ips=10.0.0.5')).statusCode).toBe(400);
    expect((await net('/v2.0/extensions/nope')).statusCode).toBe(404);
  });
});
