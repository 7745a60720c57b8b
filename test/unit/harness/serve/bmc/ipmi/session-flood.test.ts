/**
 * An unauthenticated flood of RMCP+ Open Session requests from one source must not evict other peers' logins
 * in setup, nor any active session (harness/serve/bmc/ipmi/session-table.ts). The flood is bounded by count
 * and sent to loopback only.
 */
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CIPHER_SUITES } from '../../../../../../harness/serve/bmc/ipmi/cipher-suites.js';
import { PayloadType } from '../../../../../../harness/serve/bmc/ipmi/constants.js';
import { startIpmiServer, type IpmiServer } from '../../../../../../harness/serve/bmc/ipmi/index.js';
import { encodeOpenSessionRequest } from '../../../../../../harness/serve/bmc/ipmi/rakp-messages.js';
import { SessionTable, MAX_SETUP_PER_SOURCE } from '../../../../../../harness/serve/bmc/ipmi/session-table.js';
import { encodeV20 } from '../../../../../../harness/serve/bmc/ipmi/v20-frame.js';
import { FakeBmcBackend } from '../../../../../support/fake-bmc-backend.js';
import { IpmiTestClient } from '../../../../../support/ipmi-test-client.js';

let backend: FakeBmcBackend;
let server: IpmiServer;

beforeAll(async () => {
  backend = new FakeBmcBackend([{ name: 'n0' }]);
  server = await startIpmiServer({ backend, basePort: 0 });
});

afterAll(async () => {
  await server.close();
  backend.dispose();
});

const s3 = CIPHER_SUITES.get(3)!;
const openSession = (i: number): Buffer => encodeV20({
  payloadType: PayloadType.openSessionRequest, encrypted: false, sessionId: 0, seq: 0,
  payload: encodeOpenSessionRequest({ tag: i & 0xff, maxPriv: 0, sidM: 0x10000 + i, authAlg: s3.authAlg, integrityAlg: s3.integrityAlg, confAlg: s3.confAlg }),
});

/**
 * Sends `total` Open Session requests from one UDP socket in bursts of `burst`, yielding between bursts so that
 * other clients' datagrams interleave. Resolves when all are sent.
 */
async function flood(port: number, total: number, burst = 100): Promise<void> {
  const socket = createSocket('udp4');
  socket.on('message', () => {});
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  try {
    for (let sent = 0; sent < total; ) {
      for (let i = 0; i < burst && sent < total; i++, sent++) socket.send(openSession(sent), port, '127.0.0.1');
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    await new Promise((r) => setTimeout(r, 20));
    socket.close();
  }
}

describe('ipmi: an Open Session flood from one source', () => {
  it('does not stop logins from another port, nor evict an active session', { timeout: 60_000 }, async () => {
    const port = server.ports.get('n0')!;
    const veteran = new IpmiTestClient({ port, timeoutMs: 2_000 });
    await veteran.open();
    const flooding = flood(port, 5_000);
    const results: string[] = [];
    for (let i = 0; i < 10; i++) {
      const c = new IpmiTestClient({ port, timeoutMs: 2_000 });
      try {
        await c.open();
        results.push((await c.command(0x00, 0x01))?.cc === 0 ? 'ok' : 'no status');
      } catch (err) {
        results.push((err as Error).message);
      } finally {
        c.close();
      }
    }
    await flooding;
    expect(results).toEqual(Array(10).fill('ok'));
    // The session opened before the flood still works.
    expect((await veteran.command(0x00, 0x01))?.cc).toBe(0);
    veteran.close();
  });
});

describe('SessionTable: sessions in setup are bounded per source', () => {
  const setup = () => ({ kind: 'v20-setup' as const, suite: s3, sidM: 1 });
  it(`a source holds at most ${MAX_SETUP_PER_SOURCE} sessions in setup; its next evicts its own oldest`, () => {
    let t = 0;
    const table = new SessionTable(4, 60_000, () => t++);
    const legit = table.create('', 4, setup(), 'legit:1')!;
    for (let i = 0; i < 1_000; i++) expect(table.create('', 4, setup(), 'flood:2')).toBeDefined();
    expect(table.get(legit.id)).toBe(legit);
    expect(table.size).toBe(1 + MAX_SETUP_PER_SOURCE);
  });

  it('when the setup pool is full, the source holding the most loses its oldest; active sessions are never evicted', () => {
    let t = 0;
    const table = new SessionTable(2, 60_000, () => t++);
    const active = table.create('', 4, setup(), 'a:1')!;
    active.state = { kind: 'v15', authType: 0, window: undefined as never, outSeq: 0, activation: { request: Buffer.alloc(0), response: Buffer.alloc(0) } };
    table.create('', 4, setup(), 'me:1');
    // Pool of 2 × 2 = 4 in setup: many sources of one each, then one of two.
    for (let i = 0; i < 50; i++) table.create('', 4, setup(), `stranger:${i % 3}`);
    expect(table.get(active.id)).toBe(active);
    expect(table.size).toBeLessThanOrEqual(1 + 4);
  });
});
