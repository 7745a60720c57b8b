/** Round trips and rejection rules of the IPMI codecs, crypto helpers and the replay window. */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CIPHER_SUITES, matchCipherSuite } from '../../../../../../harness/serve/bmc/ipmi/cipher-suites.js';
import { checksum, decodeRequest, decodeResponse, encodeRequest, encodeResponse } from '../../../../../../harness/serve/bmc/ipmi/ipmi-message.js';
import { decryptPayload, encryptPayload } from '../../../../../../harness/serve/bmc/ipmi/lanplus-crypto.js';
import { decodeOpenSessionRequest, decodeRakp1, encodeOpenSessionRequest, encodeRakp1 } from '../../../../../../harness/serve/bmc/ipmi/rakp-messages.js';
import { asfPingTag, encodeAsfPing } from '../../../../../../harness/serve/bmc/ipmi/rmcp.js';
import { SeqWindow } from '../../../../../../harness/serve/bmc/ipmi/seq-window.js';
import { decodeV15, encodeV15 } from '../../../../../../harness/serve/bmc/ipmi/v15-frame.js';
import { decodeV20, encodeV20, integrityValid } from '../../../../../../harness/serve/bmc/ipmi/v20-frame.js';

describe('ipmi: message codec', () => {
  it('request → response round trip keeps rqSeq and cmd, answers netFn + 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 31 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 63 }), fc.uint8Array({ maxLength: 40 }), (netFnHalf, cmd, rqSeq, data) => {
        const netFn = netFnHalf * 2;
        const req = decodeRequest(encodeRequest(netFn, cmd, rqSeq, data))!;
        expect(req).toMatchObject({ netFn, cmd, rqSeq, rsAddr: 0x20, rqAddr: 0x81 });
        expect([...req.data]).toEqual([...data]);
        const rsp = decodeResponse(encodeResponse(req, 0xcc, Buffer.from([1, 2])))!;
        expect(rsp).toMatchObject({ netFn: netFn + 1, cmd, rqSeq, cc: 0xcc });
      }),
    );
  });

  it('a wrong checksum or a short message is not a request', () => {
    const msg = encodeRequest(0, 1, 1);
    msg[msg.length - 1] = msg[msg.length - 1]! ^ 1;
    expect(decodeRequest(msg)).toBeUndefined();
    expect(decodeRequest(Buffer.from([0x20, 0x18, 0xc8]))).toBeUndefined();
    expect(checksum(Buffer.from([0x20, 0x18]))).toBe(0xc8);
  });
});

describe('ipmi: framing', () => {
  it('v1.5 frames round-trip with and without auth code; truncation and trailing junk are rejected', () => {
    const msg = encodeRequest(6, 1, 3);
    const plain = encodeV15({ authType: 0, seq: 7, sessionId: 9, msg });
    expect(decodeV15(plain)).toEqual({ authType: 0, seq: 7, sessionId: 9, msg });
    const signed = encodeV15({ authType: 2, seq: 7, sessionId: 9, msg, authCode: Buffer.alloc(16, 0xab) });
    expect(decodeV15(signed)?.authCode).toEqual(Buffer.alloc(16, 0xab));
    expect(decodeV15(signed.subarray(0, signed.length - 1))).toBeUndefined();
    expect(decodeV15(Buffer.concat([signed, Buffer.alloc(2)]))).toBeUndefined();
  });

  it('v2.0 integrity trailer verifies, and any flipped bit breaks it', () => {
    for (const suite of CIPHER_SUITES.values()) {
      const k1 = randomBytes(suite.rakpCodeBytes);
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), (bytes, flip) => {
          const payload = Buffer.from(bytes);
          const dg = encodeV20({ payloadType: 0, encrypted: true, sessionId: 1, seq: 2, payload }, { suite, k1 });
          expect((dg.length - suite.icvBytes) % 4).toBe(0);
          expect(integrityValid(dg, decodeV20(dg)!, suite, k1)).toBe(true);
          const bad = Buffer.from(dg);
          const at = 4 + (flip % (bad.length - 4));
          bad[at] = bad[at]! ^ 0x01;
          const frame = decodeV20(bad);
          expect(frame !== undefined && integrityValid(bad, frame, suite, k1)).toBe(false);
        }),
        { numRuns: 50 },
      );
    }
  });

  it('ASF ping is recognised by its tag', () => {
    expect(asfPingTag(encodeAsfPing(0x42))).toBe(0x42);
    expect(asfPingTag(Buffer.from([6, 0, 0xff, 6]))).toBeUndefined();
  });
});

describe('ipmi: confidentiality', () => {
  it('AES-CBC-128 round-trips with pad bytes 1..p', () => {
    const key = randomBytes(16);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const msg = Buffer.from(bytes);
        const payload = encryptPayload(key, msg);
        expect((payload.length - 16) % 16).toBe(0);
        expect(decryptPayload(key, payload)).toEqual(msg);
      }),
    );
  });

  it('a payload whose pad is not 1..p (wrong key) or whose length is off is rejected', () => {
    const payload = encryptPayload(randomBytes(16), Buffer.from('hello world, ipmi'));
    let accepted = 0;
    for (let i = 0; i < 50; i++) if (decryptPayload(randomBytes(16), payload)) accepted++;
    expect(accepted).toBeLessThan(10); // only a pad byte of 0 decrypts "validly" (1 in 256)
    expect(decryptPayload(randomBytes(16), payload.subarray(0, 31))).toBeUndefined();
  });
});

describe('ipmi: session setup payloads', () => {
  it('Open Session Request and RAKP 1 round-trip', () => {
    const open = { tag: 0, maxPriv: 0, sidM: 0xa0a2a3a4, authAlg: 3, integrityAlg: 4, confAlg: 1 };
    expect(decodeOpenSessionRequest(encodeOpenSessionRequest(open))).toEqual(open);
    expect(matchCipherSuite([3, 17], 3, 4, 1)?.id).toBe(17);
    expect(matchCipherSuite([3], 3, 4, 1)).toBeUndefined();
    const r1 = { tag: 0, sidC: 5, rm: randomBytes(16), role: 0x14, username: 'admin' };
    expect(decodeRakp1(encodeRakp1(r1))).toEqual(r1);
    expect(decodeRakp1(encodeRakp1(r1).subarray(0, 30))).toBeUndefined();
  });
});

describe('ipmi: sequence window', () => {
  it('accepts fresh numbers, rejects replays, 0, too old and too far ahead', () => {
    const w = new SeqWindow(0);
    for (const s of [5, 6, 8]) {
      expect(w.check(s)).toBe(true);
      w.accept(s);
    }
    expect(w.check(6)).toBe(false);
    expect(w.check(7)).toBe(true);
    expect(w.check(0)).toBe(false);
    expect(w.check(8 + 33)).toBe(false);
    w.accept(40);
    expect(w.check(20)).toBe(false);
    expect(w.check(30)).toBe(true);
  });

  it('wraps at 2^32', () => {
    const w = new SeqWindow(0xfffffffe);
    expect(w.check(0xffffffff)).toBe(true);
    w.accept(0xffffffff);
    expect(w.check(1)).toBe(true);
    w.accept(1);
    expect(w.check(0xffffffff)).toBe(false);
  });
});
