import { afterEach, describe, expect, it } from 'vitest';
import { ALLOWABLE_RESET_TYPES } from '../../../../../../harness/serve/bmc/redfish/index.js';
import { ADMIN, basic, get, makeKit, OTHER, type Kit } from './redfish-test-kit.js';

let kit: Kit;
afterEach(async () => {
  await kit?.app.close();
});

describe('redfish: discovery documents', () => {
  it('serves the service root without authentication, with and without the trailing slash', async () => {
    kit = makeKit();
    for (const url of ['/redfish/v1', '/redfish/v1/']) {
      const res = await kit.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['odata-version']).toBe('4.0');
      expect(res.json()).toMatchObject({
        '@odata.id': '/redfish/v1/',
        '@odata.type': expect.stringMatching(/^#ServiceRoot\./),
        Systems: { '@odata.id': '/redfish/v1/Systems' },
        SessionService: { '@odata.id': '/redfish/v1/SessionService' },
      });
    }
  });

  it('serves /redfish, $metadata and the OData service document without authentication', async () => {
    kit = makeKit();
    expect((await kit.app.inject({ url: '/redfish' })).json()).toEqual({ v1: '/redfish/v1/' });
    const metadata = await kit.app.inject({ url: '/redfish/v1/$metadata' });
    expect(metadata.statusCode).toBe(200);
    expect(metadata.headers['content-type']).toMatch(/^application\/xml/);
    expect(metadata.body).toContain('<edmx:Edmx');
    const odata = await kit.app.inject({ url: '/redfish/v1/odata' });
    expect(odata.json().value).toContainEqual({ name: 'Systems', kind: 'Singleton', url: '/redfish/v1/Systems' });
  });

  it('lists only the Redfish systems the credentials open (discovery keeps the last member)', async () => {
    kit = makeKit();
    const admin = (await get(kit, '/redfish/v1/Systems')).json();
    expect(admin['Members@odata.count']).toBe(2);
    expect(admin.Members).toEqual([
      { '@odata.id': '/redfish/v1/Systems/compute-0' },
      { '@odata.id': '/redfish/v1/Systems/compute-1' },
    ]);
    const other = (await get(kit, '/redfish/v1/Systems', OTHER)).json();
    expect(other.Members).toEqual([{ '@odata.id': '/redfish/v1/Systems/compute-2' }]);
  });

  it('shows PowerState On/Off from the backend and the Reset action fence_redfish reads', async () => {
    kit = makeKit();
    const on = (await get(kit, '/redfish/v1/Systems/compute-0')).json();
    expect(on).toMatchObject({ Id: 'compute-0', PowerState: 'On', '@odata.id': '/redfish/v1/Systems/compute-0' });
    expect(on.Actions['#ComputerSystem.Reset']).toEqual({
      target: '/redfish/v1/Systems/compute-0/Actions/ComputerSystem.Reset',
      'ResetType@Redfish.AllowableValues': [...ALLOWABLE_RESET_TYPES],
    });
    expect((await get(kit, '/redfish/v1/Systems/compute-1/')).json().PowerState).toBe('Off');
    kit.backend.setPower('compute-1', 'on');
    expect((await get(kit, '/redfish/v1/Systems/compute-1')).json().PowerState).toBe('On');
  });

  it('gives the same documents (UUIDs included) on every run', async () => {
    kit = makeKit();
    const first = (await get(kit, '/redfish/v1/Systems/compute-0')).body;
    const again = makeKit();
    expect((await get(again, '/redfish/v1/Systems/compute-0')).body).toBe(first);
    await again.app.close();
  });

  it('answers 404 with a Redfish error for an unknown or IPMI-only system', async () => {
    kit = makeKit();
    for (const name of ['nope', 'compute-3']) {
      const res = await get(kit, `/redfish/v1/Systems/${name}`);
      expect(res.statusCode).toBe(404);
      expect(res.json().error['@Message.ExtendedInfo'][0].MessageId).toMatch(/ResourceMissingAtURI$/);
    }
  });

  it('answers HEAD like GET without a body and OPTIONS with Allow', async () => {
    kit = makeKit();
    const auth = { authorization: basic(ADMIN) };
    const head = await kit.app.inject({ method: 'HEAD', url: '/redfish/v1/Systems/compute-0', headers: auth });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    const options = await kit.app.inject({ method: 'OPTIONS', url: '/redfish/v1/Systems/compute-0', headers: auth });
    expect(options.statusCode).toBe(204);
    expect(options.headers.allow).toBe('GET, HEAD, OPTIONS');
  });
});
