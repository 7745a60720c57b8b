/**
 * IPMI v2.0 RMCP+ test vectors computed from ipmitool's key-derivation and HMAC formulas with Python, and the example
 * frames of the IPMI v2.0 specification (session set-up, RAKP and a sessioned request), checked byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { CIPHER_SUITES, cipherSuiteRecords } from '../../../../../../harness/serve/bmc/ipmi/cipher-suites.js';
import { decodeRequest, encodeRequest, encodeResponse } from '../../../../../../harness/serve/bmc/ipmi/ipmi-message.js';
import {
  decryptPayload,
  deriveSessionKeys,
  encryptPayload,
  hmac,
  rakp2AuthCode,
  rakp3AuthCode,
  rakp4Icv,
  u32le,
  type RakpParams,
} from '../../../../../../harness/serve/bmc/ipmi/lanplus-crypto.js';
import { encodeAsfPong } from '../../../../../../harness/serve/bmc/ipmi/rmcp.js';
import { encodeV15, v15AuthCode } from '../../../../../../harness/serve/bmc/ipmi/v15-frame.js';
import { decodeV20, encodeV20, integrityValid } from '../../../../../../harness/serve/bmc/ipmi/v20-frame.js';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const range = (from: number): Buffer => Buffer.from(Array.from({ length: 16 }, (_, i) => from + i));

const params: RakpParams = {
  password: 'password',
  username: 'admin',
  role: 0x14,
  sidM: 0xa0a2a3a4,
  sidC: 0x01020304,
  rm: range(0x00),
  rc: range(0x10),
  guid: range(0x20),
};

const vectors = {
  3: {
    rakp2: '911c9ccfd1afbe5001e677437b374d634c440154',
    rakp3: '4ab420258775814f120682c8ab9275c29997effd',
    sik: '122c77c4b11ccd93251cbae6c34a9cb6310da154',
    k1: 'e4472be78f9a81fa68297aab696a7be8c97fc9f8',
    aes: '2b6552012a2517cb3b5713901d757a6e',
    icv: '31dbe38a7d82ebd965fbd0a3',
    datagram: '0600ff0706c004030201050000002000a0a1a2a3a4a5a6a7a8a9aaabacadaeaf8297375f4c3e308b078c9d8780386ce0ffff020740c046062070bf54324df054',
  },
  17: {
    rakp2: 'f49dc6f13fbcb0b43ebce4a066756afc7d5bf3caefd436fb1fe8667347d81590',
    rakp3: '72a845290e0504673b2177d93a8dd844954778f3fe6b0476b2e7055a21663586',
    sik: 'e5935f7199865ad961063477b0662684e2ce9b1da8f2b8d41c5ce127d37e9bcf',
    k1: 'dc4fe73d075306f6897115dd63257385e845c10404fa1d73991790c6a101bec2',
    aes: '2a4f969ea6dfa83066f36674fdc2fea2',
    icv: 'c6f81174312ba64fb0ef3c1efa13b44d',
    datagram: '0600ff0706c004030201050000002000a0a1a2a3a4a5a6a7a8a9aaabacadaeaf61d1bc64cb9e65c62fc273399ef392bbffff020771b5186ad18094c729008d5cd7fcbb4c',
  },
} as const;

describe('ipmi: A.16 RMCP+ test vectors', () => {
  for (const id of [3, 17] as const) {
    const suite = CIPHER_SUITES.get(id)!;
    const v = vectors[id];

    it(`suite ${id}: RAKP 2 and RAKP 3 auth codes`, () => {
      expect(rakp2AuthCode(suite, params).toString('hex')).toBe(v.rakp2);
      expect(rakp3AuthCode(suite, params).toString('hex')).toBe(v.rakp3);
    });

    it(`suite ${id}: SIK, K1, AES key and RAKP 4 ICV`, () => {
      const keys = deriveSessionKeys(suite, params);
      expect(keys.sik.toString('hex')).toBe(v.sik);
      expect(keys.k1.toString('hex')).toBe(v.k1);
      expect(keys.aesKey.toString('hex')).toBe(v.aes);
      expect(rakp4Icv(suite, keys.sik, params).toString('hex')).toBe(v.icv);
    });

    it(`suite ${id}: Get Chassis Status request datagram (rqSeq 1, seq 5, IV a0..af)`, () => {
      const keys = deriveSessionKeys(suite, params);
      const msg = encodeRequest(0x00, 0x01, 1);
      expect(msg.toString('hex')).toBe('2000e08104017a');
      const payload = encryptPayload(keys.aesKey, msg, range(0xa0));
      const dg = encodeV20({ payloadType: 0, encrypted: true, sessionId: params.sidC, seq: 5, payload }, { suite, k1: keys.k1 });
      expect(dg.toString('hex')).toBe(v.datagram);
      const frame = decodeV20(dg)!;
      expect(integrityValid(dg, frame, suite, keys.k1)).toBe(true);
      expect(decryptPayload(keys.aesKey, frame.payload)!.toString('hex')).toBe('2000e08104017a');
    });
  }

  it('RAKP 2 HMAC input order is SIDm, SIDc, Rm, Rc, GUIDc, role, ulen, user', () => {
    const input = Buffer.concat([u32le(params.sidM), u32le(params.sidC), params.rm, params.rc, params.guid, hex('140561646d696e')]);
    expect(input.toString('hex')).toBe('a4a3a2a004030201000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f140561646d696e');
    expect(hmac('sha1', 'password', input).toString('hex')).toBe(vectors[3].rakp2);
  });
});

describe('ipmi: A.16 plain frames', () => {
  it('power-on answer to Get Chassis Status', () => {
    const req = decodeRequest(hex('2000e08104017a'))!;
    expect(encodeResponse(req, 0, hex('010000')).toString('hex')).toBe('81047b20040100010000da');
  });

  it('v1.5 MD5 Activate Session datagram', () => {
    const msg = hex('2018c881083a0204404142434445464748494a4b4c4d4e4fefbeadde87');
    const code = v15AuthCode(0x02, 'password', 0x11223344, msg, 0)!;
    expect(code.toString('hex')).toBe('ce373492c176ead695d6d8861d836b4a');
    const dg = encodeV15({ authType: 0x02, seq: 0, sessionId: 0x11223344, authCode: code, msg });
    expect(dg.toString('hex')).toBe('0600ff07020000000044332211ce373492c176ead695d6d8861d836b4a1d2018c881083a0204404142434445464748494a4b4c4d4e4fefbeadde87');
  });

  it('Get Device ID answer, HPM.2 0xC1 answer and ASF pong', () => {
    const devId = decodeRequest(encodeRequest(0x06, 0x01, 3))!;
    expect(encodeResponse(devId, 0, hex('200101000200000000000000000000')).toString('hex')).toBe('811c63200c0100200101000200000000000000000000af');
    const hpm = decodeRequest(hex('20b03081083e000237'))!;
    expect(encodeResponse(hpm, 0xc1).toString('hex')).toBe('81b4cb20083ec1d9');
    expect(encodeAsfPong(0).toString('hex')).toBe('0600ff06000011be40000010000011be000000008100000000000000');
  });

  it('cipher suite records of suites 3 and 17', () => {
    expect(cipherSuiteRecords([3, 17]).toString('hex')).toBe('c003014181c011034481');
  });
});
