import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { ALLOWABLE_RESET_TYPES, buildRedfishApp, RESET_TYPES } from '../../../../../../harness/serve/bmc/redfish/index.js';
import { FakeRedfishBackend } from '../../../../../support/fake-redfish-backend.js';
import { errorMessageId, get, makeKit, OTHER, post, RESET_URI, type Kit } from './redfish-test-kit.js';

let kit: Kit;
afterEach(async () => {
  await kit?.app.close();
});

describe('redfish: ComputerSystem.Reset', () => {
  it.each([
    ['On', 'on'],
    ['ForceOn', 'on'],
    ['ForceOff', 'off'],
    ['GracefulShutdown', 'soft'],
    ['GracefulRestart', 'reset'],
    ['ForceRestart', 'reset'],
    ['PowerCycle', 'cycle'],
    ['Nmi', 'diag'],
  ] as const)('ResetType %s → backend action %s, 204 with an empty body', async (resetType, action) => {
    kit = makeKit();
    const res = await post(kit, RESET_URI('compute-0'), { ResetType: resetType });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(kit.backend.actions).toEqual([{ node: 'compute-0', action, via: 'redfish' }]);
  });

  it('maps every allowable value, and only those', () => {
    expect(Object.keys(RESET_TYPES)).toEqual([...ALLOWABLE_RESET_TYPES]);
  });

  it('fence_redfish off then on: ForceOff powers off, On powers on, the system document follows', async () => {
    kit = makeKit();
    await post(kit, RESET_URI('compute-0'), { ResetType: 'ForceOff' });
    expect((await get(kit, '/redfish/v1/Systems/compute-0')).json().PowerState).toBe('Off');
    await post(kit, RESET_URI('compute-0'), { ResetType: 'On' });
    expect((await get(kit, '/redfish/v1/Systems/compute-0')).json().PowerState).toBe('On');
  });

  it('ignores unknown extra properties, as sushy-tools does', async () => {
    kit = makeKit();
    const res = await post(kit, RESET_URI('compute-0'), { ResetType: 'ForceOff', '@odata.type': 'x', Extra: 1 });
    expect(res.statusCode).toBe(204);
    expect(kit.backend.power('compute-0')).toBe('off');
  });

  it.each([
    ['missing ResetType', {}, 'ActionParameterMissing'],
    ['null body', 'null', 'ActionParameterMissing'],
    ['wrong type', { ResetType: 3 }, 'ActionParameterValueTypeError'],
    ['unknown value', { ResetType: 'Explode' }, 'ActionParameterValueNotInList'],
    ['wrong case', { ResetType: 'forceoff' }, 'ActionParameterValueNotInList'],
    ['array body', '["ForceOff"]', 'MalformedJSON'],
    ['string body', '"ForceOff"', 'MalformedJSON'],
    ['bad JSON', '{"ResetType": ', 'MalformedJSON'],
    ['empty body', '', 'MalformedJSON'],
  ])('%s → 400 %s, nothing changes', async (_name, body, messageId) => {
    kit = makeKit();
    const before = kit.backend.snapshot();
    const res = await post(kit, RESET_URI('compute-0'), body);
    expect(res.statusCode).toBe(400);
    expect(errorMessageId(res)).toBe(messageId);
    expect(kit.backend.snapshot()).toEqual(before);
  });

  it('lists the allowable values in the 400 for a missing or unknown ResetType', async () => {
    kit = makeKit();
    for (const body of [{}, { ResetType: 'Explode' }, { ResetType: false }]) {
      const message: string = (await post(kit, RESET_URI('compute-0'), body)).json().error.message;
      for (const value of ALLOWABLE_RESET_TYPES) expect(message).toContain(value);
    }
  });

  it('rejects a reset of another user\'s node with 401 and of an unknown node with 404, nothing changes', async () => {
    kit = makeKit();
    const before = kit.backend.snapshot();
    expect((await post(kit, RESET_URI('compute-2'), { ResetType: 'ForceOff' })).statusCode).toBe(401);
    expect((await post(kit, RESET_URI('compute-0'), { ResetType: 'ForceOff' }, OTHER)).statusCode).toBe(401);
    expect((await post(kit, RESET_URI('ghost'), { ResetType: 'ForceOff' })).statusCode).toBe(404);
    expect((await post(kit, RESET_URI('compute-3'), { ResetType: 'ForceOff' })).statusCode).toBe(404);
    expect(kit.backend.snapshot()).toEqual(before);
  });

  it('answers 405 with Allow: POST, OPTIONS to GET on the action target', async () => {
    kit = makeKit();
    const res = await get(kit, RESET_URI('compute-0'));
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('POST, OPTIONS');
  });

  it('answers 500 InternalError (not a crash) when the backend rejects the action', async () => {
    kit = makeKit();
    kit.backend.powerAction = async () => {
      throw new Error('world exploded');
    };
    const res = await post(kit, RESET_URI('compute-0'), { ResetType: 'ForceOff' });
    expect(res.statusCode).toBe(500);
    expect(errorMessageId(res)).toBe('InternalError');
    expect(res.body).not.toContain('world exploded');
  });
});

describe('redfish: logging', () => {
  it('is silent by default and logs each reset (node, ResetType, action) to a given pino logger', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const backend = new FakeRedfishBackend([{ name: 'compute-0' }]);
    kit = { app: buildRedfishApp({ backend, logger: pino({ level: 'info' }, sink) }), backend };
    await post(kit, RESET_URI('compute-0'), { ResetType: 'ForceOff' });
    expect(lines.find((l) => l['msg'] === 'redfish reset')).toMatchObject({
      node: 'compute-0',
      resetType: 'ForceOff',
      action: 'off',
    });
  });
});
