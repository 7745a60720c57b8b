import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SERVER_IDS } from '../../../../support/fake-nova.js';
import { ServeSession } from '../../../../../harness/serve/serve-session.js';
import { serveSpec } from '../../../../support/serve-scenario.js';
import { makeHarness, type Harness } from './app-harness.js';

let h: Harness;
let token: string;
beforeEach(async () => {
  h = makeHarness();
  token = await h.login();
});
afterEach(async () => h.app.close());

const dump = (id: string, body: unknown = { trigger_crash_dump: null }, version = '2.17') =>
  h.call('POST', `/compute/v2.1/servers/${id}/action`, { token, version, body });

describe('openstack api: trigger_crash_dump', () => {
  it('answers 202 with no body from 2.17 and casts the dump', async () => {
    const res = await dump(SERVER_IDS.vm1);
    expect(res.statusCode).toBe(202);
    expect(res.body).toBe('');
    expect(h.nova.crashDumps).toEqual([SERVER_IDS.vm1]);
  });

  it('is a bare 404 below 2.17, as an action that does not exist at that version', async () => {
    const res = await dump(SERVER_IDS.vm1, undefined, '2.16');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ itemNotFound: { code: 404, message: 'The resource could not be found.' } });
    expect(h.nova.crashDumps).toEqual([]);
  });

  it('answers 400 for a body other than {"trigger_crash_dump": null}', async () => {
    const res = await dump(SERVER_IDS.vm1, { trigger_crash_dump: {} });
    expect(res.statusCode).toBe(400);
    expect(res.json().badRequest.message).toBe("Invalid input for field/attribute trigger_crash_dump. Value: {}. {} is not of type 'null'");
  });

  it('answers 409 for a stopped server and 404 for an unknown one', async () => {
    const res = await dump(SERVER_IDS.vm3);
    expect(res.statusCode).toBe(409);
    expect(res.json().conflictingRequest.message).toBe(`Cannot 'trigger_crash_dump' instance ${SERVER_IDS.vm3} while it is in vm_state stopped`);
    expect((await dump('nope')).statusCode).toBe(404);
  });
});

describe('the served world: a crash dump panics the guest on Nova\'s host', () => {
  it("panics the running domain on Nova's host; the cast is lost while nova-compute is down", () => {
    let wall = 1_700_000_000_000;
    const session = new ServeSession(serveSpec(), { speed: 10, clock: () => wall, tickMs: 0 });
    const inst = session.world.instancesByName.get('web-01')!;
    wall += 1_000;
    session.advance();
    session.world.nova.triggerCrashDump(inst.uuid);
    expect(inst.domains.map((d) => d.state)).toEqual(['panicked']);

    const other = session.world.instancesByName.get('web-02')!;
    session.faults.inject(session.faults.parse({ kind: 'nova-compute-crash', target: other.nova.host }));
    session.world.nova.triggerCrashDump(other.uuid);
    expect(other.domains.map((d) => d.state)).toEqual(['running']);
    expect(session.world.trace.records.filter((r) => r.type === 'nova.trigger-crash-dump').map((r) => r['delivered'])).toEqual([true, false]);
  });
});
