/**
 * Fuzzing the live IPMI server on loopback: random bytes, truncated and oversized datagrams, wrong session IDs,
 * replayed sequence numbers, corrupted HMACs and wrong passwords. After each run the server still answers a
 * real session, the backend was never touched, and no session was opened without the password.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIpmiServer, type IpmiServer } from '../../harness/serve/bmc/ipmi/index.js';
import { FakeBmcBackend } from '../support/fake-bmc-backend.js';
import { IpmiTestClient } from '../support/ipmi-test-client.js';

/** Loopback answers arrive in well under a millisecond; this is only how long "no answer" is waited for. */
const SILENCE_MS = 25;

let backend: FakeBmcBackend;
let server: IpmiServer;
let port: number;
/** A legitimate ADMINISTRATOR session whose datagrams are the raw material for replay and corruption. */
let victim: IpmiTestClient;
let attacker: IpmiTestClient;
const initialPower = { target: 'on', other: 'off' } as const;

beforeAll(async () => {
  backend = new FakeBmcBackend([
    { name: 'target', power: initialPower.target },
    { name: 'other', power: initialPower.other },
  ]);
  server = await startIpmiServer({ backend, basePort: 0 });
  port = server.ports.get('target')!;
  victim = new IpmiTestClient({ port, suite: 17 });
  await victim.open();
  expect((await victim.command(0x06, 0x3b, Buffer.from([4])))?.cc).toBe(0);
  attacker = new IpmiTestClient({ port, timeoutMs: SILENCE_MS });
});

afterAll(async () => {
  victim?.close();
  attacker?.close();
  await server?.close();
  backend?.dispose();
});

/** The invariants every run must leave intact. */
async function expectServerHealthy(): Promise<void> {
  expect(backend.actions).toEqual([]);
  expect(backend.powerSnapshot()).toEqual(initialPower);
  expect(server.activeSessionCount('target')).toBe(1); // only the victim's
  const fresh = new IpmiTestClient({ port, suite: 3 });
  try {
    await fresh.open();
    expect((await fresh.command(0x00, 0x01))?.data[0]! & 1).toBe(1);
    expect((await fresh.command(0x06, 0x3c, Buffer.from(new Uint32Array([fresh.sidC]).buffer)))?.cc).toBe(0);
  } finally {
    fresh.close();
  }
  expect((await victim.command(0x00, 0x01))?.cc).toBe(0);
}

/** Datagrams that start like IPMI (RMCP header, then a v1.5 or RMCP+ auth type byte) followed by noise. */
const ipmiLike = fc
  .tuple(fc.constantFrom(0x00, 0x02, 0x04, 0x06), fc.integer({ min: 0, max: 0xff }), fc.uint8Array({ maxLength: 120 }))
  .map(([auth, type, rest]) => Buffer.concat([Buffer.from([0x06, 0x00, 0xff, 0x07, auth, type]), rest]));

describe('ipmi server fuzz', () => {
  it('random bytes, IPMI-looking noise and oversized datagrams never crash it or change state', async () => {
    const datagram = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
      ipmiLike,
      fc.integer({ min: 1025, max: 8000 }).map((n) => Buffer.concat([Buffer.from('0600ff0706c0', 'hex'), Buffer.alloc(n)])),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(datagram, { minLength: 1, maxLength: 20 }), async (batch) => {
        for (const d of batch) await attacker.sendRaw(d, 1);
      }),
      { numRuns: 60 },
    );
    await expectServerHealthy();
  });

  it('truncated copies of real setup and session datagrams are dropped or refused', async () => {
    const samples = [victim.commandDatagram(0x00, 0x02, Buffer.from([0x00])), Buffer.from('0600ff0700000000000000000009' + '2018c88100388e04b5', 'hex')];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...samples), fc.nat(), async (d, cut) => {
        const truncated = d.subarray(0, cut % d.length);
        const reply = await attacker.sendRaw(truncated, SILENCE_MS);
        if (reply) expect(reply.length).toBeLessThan(64); // at most a sessionless error answer
      }),
      { numRuns: 40 },
    );
    await expectServerHealthy();
  });

  it('replayed, re-sequenced, re-addressed and bit-flipped session datagrams get no answer', async () => {
    const powerOff = victim.commandDatagram(0x00, 0x02, Buffer.from([0x00]), { seq: 0x7fffffff });
    // Never sent as is: a far-future seq is outside the window, and every mutation below must fail too.
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.nat().map((n) => ({ kind: 'flip', at: 4 + (n % (powerOff.length - 4)) }) as const),
          fc.integer({ min: 1, max: 0xffffffff }).map((sid) => ({ kind: 'sid', sid }) as const),
          fc.integer({ min: 0, max: 0xffffffff }).map((seq) => ({ kind: 'seq', seq }) as const),
        ),
        async (m) => {
          const d = Buffer.from(powerOff);
          if (m.kind === 'flip') d[m.at] = d[m.at]! ^ 0x01;
          if (m.kind === 'sid') d.writeUInt32LE(m.sid, 6);
          if (m.kind === 'seq') d.writeUInt32LE(m.seq, 10);
          expect(await attacker.sendRaw(d, SILENCE_MS)).toBeUndefined();
        },
      ),
      { numRuns: 60 },
    );
    // Old numbers: a status request the BMC accepted once is never answered again.
    const status = victim.commandDatagram(0x00, 0x01);
    expect(victim.decodeAnswer(await victim.sendRaw(status))?.cc).toBe(0);
    for (let i = 0; i < 3; i++) expect(await attacker.sendRaw(status, SILENCE_MS)).toBeUndefined();
    await expectServerHealthy();
  });

  it('wrong passwords and names never open a session', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 20 }), fc.constantFrom(3, 17) as fc.Arbitrary<3 | 17>, fc.boolean(), async (guess, suite, badUser) => {
        fc.pre(guess !== 'password');
        const c = new IpmiTestClient({ port, suite, password: badUser ? 'password' : guess, username: badUser ? `x${guess}`.slice(0, 16) : 'admin', timeoutMs: 200 });
        try {
          await expect(c.open()).rejects.toThrow();
        } finally {
          c.close();
        }
        expect(server.activeSessionCount('target')).toBe(1);
      }),
      { numRuns: 25 },
    );
    await expectServerHealthy();
  });
});
