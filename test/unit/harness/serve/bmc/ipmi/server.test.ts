/** The IPMI server on loopback, driven by the minimal test console: sessions, commands, faults, refusals. */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startIpmiServer, type IpmiServer } from '../../../../../../harness/serve/bmc/ipmi/index.js';
import { FakeBmcBackend } from '../../../../../support/fake-bmc-backend.js';
import { IpmiTestClient } from '../../../../../support/ipmi-test-client.js';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');

let backend: FakeBmcBackend;
let server: IpmiServer;
const logLines: string[] = [];
const clients: IpmiTestClient[] = [];

function client(node: string, opts: { suite?: 3 | 17; password?: string; username?: string } = {}): IpmiTestClient {
  const c = new IpmiTestClient({ port: server.ports.get(node)!, ...opts });
  clients.push(c);
  return c;
}

/** Opens a session and raises it to ADMINISTRATOR, as ipmitool does. */
async function adminSession(node: string, suite: 3 | 17 = 3): Promise<IpmiTestClient> {
  const c = client(node, { suite });
  await c.open();
  expect((await c.command(0x06, 0x3b, Buffer.from([4])))?.cc).toBe(0);
  return c;
}

beforeAll(async () => {
  backend = new FakeBmcBackend([
    { name: 'n0' },
    { name: 'n1', power: 'off' },
    { name: 'n2', ipmi: false },
    { name: 'n3' },
    { name: 'n4' },
  ]);
  const sink = new Writable({ write: (chunk, _enc, cb) => (logLines.push(String(chunk)), cb()) });
  server = await startIpmiServer({ backend, basePort: 0, sessionTimeoutMs: 5_000, logger: pino({ level: 'debug' }, sink) });
});

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  for (const n of ['n0', 'n1', 'n3', 'n4']) backend.setReachability(n, 'ok');
});

afterAll(async () => {
  await server.close();
  backend.dispose();
});

describe('ipmi server: sessionless answers (brief A.4, A.5)', () => {
  it('answers lanplus Get Channel Auth Caps with the v2 bit and the auth types', async () => {
    const reply = await client('n0').sendRaw(hex('0600ff0700000000000000000009' + '2018c88100388e04b5'));
    expect(reply?.toString('hex')).toBe('0600ff0700000000000000000010811c632000380001950403000000000b');
  });

  it('lists suites 3 and 17 in Get Channel Cipher Suites', async () => {
    const reply = await client('n0').sendRaw(hex('0600ff07060000000000000000000a002018c88104540e008099'));
    expect(reply?.toString('hex')).toBe('0600ff07060000000000000000001300811c632004540001c003014181c01103448168');
  });

  it('answers an ASF presence ping with a pong', async () => {
    const reply = await client('n0').sendRaw(hex('0600ff06000011be80000000'));
    expect(reply?.toString('hex')).toBe('0600ff06000011be40000010000011be000000008100000000000000');
  });

  it('serves only nodes with ipmi enabled', () => {
    expect([...server.ports.keys()]).toEqual(['n0', 'n1', 'n3', 'n4']);
  });
});

describe('ipmi server: RMCP+ sessions', () => {
  for (const suite of [3, 17] as const) {
    it(`suite ${suite}: opens a session, reads status, powers on, closes`, async () => {
      const c = await adminSession('n1', suite);
      expect((await c.command(0x00, 0x01))?.data[0]! & 1).toBe(backend.power('n1') === 'on' ? 1 : 0);
      expect((await c.command(0x00, 0x02, Buffer.from([0x01])))?.cc).toBe(0);
      expect(backend.power('n1')).toBe('on');
      expect((await c.command(0x06, 0x3c, Buffer.from(new Uint32Array([c.sidC]).buffer)))?.cc).toBe(0);
      expect(await c.command(0x00, 0x01)).toBeUndefined();
    });
  }

  it('refuses chassis control before the privilege is raised (sessions start at USER)', async () => {
    const c = client('n0');
    await c.open();
    expect((await c.command(0x00, 0x02, Buffer.from([0x00])))?.cc).toBe(0xd4);
    expect(backend.power('n0')).toBe('on');
  });

  it('answers unknown commands with 0xC1 and bad chassis control data with 0xCC', async () => {
    const c = await adminSession('n0');
    expect((await c.command(0x2c, 0x3e, Buffer.from([0, 2])))?.cc).toBe(0xc1);
    expect((await c.command(0x06, 0x99))?.cc).toBe(0xc1);
    expect((await c.command(0x00, 0x02, Buffer.from([0x09])))?.cc).toBe(0xcc);
    expect((await c.command(0x06, 0x01))?.data.toString('hex')).toBe('200101000200000000000000000000');
  });

  it('wrong password: no session, RAKP 4 status 0x0F; unknown user: RAKP 2 status 0x0D', async () => {
    const before = server.activeSessionCount('n0');
    await expect(client('n0', { password: 'nope' }).open()).rejects.toThrow(/wrong password/);
    await expect(client('n0', { username: 'root' }).open()).rejects.toThrow(/rakp2 status 0xd/);
    expect(server.activeSessionCount('n0')).toBe(before);
  });

  it('holds concurrent sessions independently', async () => {
    const [a, b] = await Promise.all([adminSession('n3', 3), adminSession('n3', 17)]);
    expect(a!.sidC).not.toBe(b!.sidC);
    const [ra, rb] = await Promise.all([a!.command(0x00, 0x01), b!.command(0x00, 0x01)]);
    expect([ra?.cc, rb?.cc]).toEqual([0, 0]);
  });

  it('drops replayed sequence numbers and bad HMACs, but answers a retransmission once', async () => {
    const c = await adminSession('n4');
    const dg = c.commandDatagram(0x00, 0x01);
    expect(c.decodeAnswer(await c.sendRaw(dg))?.cc).toBe(0);
    expect(await c.sendRaw(dg, 100)).toBeUndefined();
    const bad = c.commandDatagram(0x00, 0x01);
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 0xff;
    expect(await c.sendRaw(bad, 100)).toBeUndefined();
    const actions = backend.actions.length;
    const off = c.commandDatagram(0x00, 0x02, Buffer.from([0x05]));
    expect(c.decodeAnswer(await c.sendRaw(off))?.cc).toBe(0);
    // Same message (same rqSeq) under a new sequence number = a client retry: answered, not executed again.
    const retry = c.commandDatagram(0x00, 0x02, Buffer.from([0x05]), { retry: true });
    expect(c.decodeAnswer(await c.sendRaw(retry))?.cc).toBe(0);
    expect(backend.actions.length).toBe(actions + 1);
    // A header edited without a new HMAC fails integrity.
    const edited = Buffer.from(retry);
    edited.writeUInt32LE(edited.readUInt32LE(10) + 1, 10);
    expect(await c.sendRaw(edited, 100)).toBeUndefined();
  });

  it('forgets idle sessions after sessionTimeoutMs', async () => {
    const quick = await startIpmiServer({ backend, basePort: 0, sessionTimeoutMs: 200 });
    const c = new IpmiTestClient({ port: quick.ports.get('n0')!, timeoutMs: 150 });
    clients.push(c);
    await c.open();
    expect((await c.command(0x00, 0x01))?.cc).toBe(0);
    expect(quick.activeSessionCount('n0')).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await c.command(0x00, 0x01)).toBeUndefined();
    expect(quick.activeSessionCount('n0')).toBe(0);
    await quick.close();
  });
});

describe('ipmi server: reachability faults', () => {
  it('unreachable: no answer at all, not even to a ping', async () => {
    backend.setReachability('n0', 'unreachable');
    expect(await client('n0').sendRaw(hex('0600ff06000011be80000000'), 150)).toBeUndefined();
  });

  it('broken: sessions open, every command fails with 0xFF, power is untouched', async () => {
    const c = await adminSession('n1');
    backend.setReachability('n1', 'broken');
    const before = backend.powerSnapshot();
    expect((await c.command(0x00, 0x01))?.cc).toBe(0xff);
    expect((await c.command(0x00, 0x02, Buffer.from([0x00])))?.cc).toBe(0xff);
    expect(backend.powerSnapshot()).toEqual(before);
  });
});

describe('ipmi server: options and logs', () => {
  it('rejects unsupported cipher suites and bad ports up front', async () => {
    await expect(startIpmiServer({ backend, basePort: 0, cipherSuites: [1] })).rejects.toThrow(/cipherSuites/);
    await expect(startIpmiServer({ backend, basePort: 70000 })).rejects.toThrow(/basePort/);
  });

  it('logs refused and activated sessions at debug', () => {
    expect(logLines.some((l) => l.includes('ipmi RMCP+ session activated'))).toBe(true);
    expect(logLines.some((l) => l.includes('RAKP 3 refused'))).toBe(true);
  });
});
