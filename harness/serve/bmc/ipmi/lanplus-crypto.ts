/**
 * RMCP+ cryptography: RAKP auth codes, session key derivation, per-packet integrity and AES-CBC-128
 * confidentiality, exactly as ipmitool's `lanplus_crypt.c` computes them (brief A.8–A.11, test vectors A.16).
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CipherSuite, HashName } from './cipher-suites.js';

/** Inputs of the RAKP exchange that both sides know once RAKP 1 and 2 have crossed. */
export interface RakpParams {
  password: string;
  /** Console (remote) session ID, as numbers; on the wire both are 4 bytes little-endian. */
  sidM: number;
  /** BMC (managed system) session ID. */
  sidC: number;
  /** Console random number (RAKP 1), 16 bytes. */
  rm: Buffer;
  /** BMC random number (RAKP 2), 16 bytes. */
  rc: Buffer;
  guid: Buffer;
  /** Requested role byte of RAKP 1 exactly as received (e.g. 0x14). */
  role: number;
  username: string;
}

/** Session keys derived after RAKP 3. */
export interface SessionKeys {
  sik: Buffer;
  /** Integrity key: the full K1. */
  k1: Buffer;
  /** AES-128 key: the first 16 bytes of K2. */
  aesKey: Buffer;
}

export function u32le(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0, 0);
  return b;
}

export function hmac(hash: HashName, key: Buffer | string, ...parts: Uint8Array[]): Buffer {
  const h = createHmac(hash, key);
  for (const p of parts) h.update(p);
  return h.digest();
}

function roleUser(p: RakpParams): Buffer {
  const user = Buffer.from(p.username, 'utf8');
  return Buffer.concat([Buffer.from([p.role, user.length]), user]);
}

/** RAKP 2 key exchange auth code: HMAC_pw(SIDm ‖ SIDc ‖ Rm ‖ Rc ‖ GUIDc ‖ role ‖ ulen ‖ user). */
export function rakp2AuthCode(suite: CipherSuite, p: RakpParams): Buffer {
  return hmac(suite.hash, p.password, u32le(p.sidM), u32le(p.sidC), p.rm, p.rc, p.guid, roleUser(p));
}

/** RAKP 3 key exchange auth code the console must send: HMAC_pw(Rc ‖ SIDm ‖ role ‖ ulen ‖ user). */
export function rakp3AuthCode(suite: CipherSuite, p: RakpParams): Buffer {
  return hmac(suite.hash, p.password, p.rc, u32le(p.sidM), roleUser(p));
}

/** SIK = HMAC_pw(Rm ‖ Rc ‖ role ‖ ulen ‖ user); K1/K2 = HMAC_SIK(0x01×20 / 0x02×20), 20-byte constants for both suites. */
export function deriveSessionKeys(suite: CipherSuite, p: RakpParams): SessionKeys {
  const sik = hmac(suite.hash, p.password, p.rm, p.rc, roleUser(p));
  const k1 = hmac(suite.hash, sik, Buffer.alloc(20, 0x01));
  const k2 = hmac(suite.hash, sik, Buffer.alloc(20, 0x02));
  return { sik, k1, aesKey: k2.subarray(0, 16) };
}

/** RAKP 4 integrity check value: HMAC_SIK(Rm ‖ SIDc ‖ GUIDc), truncated to the suite's ICV length. */
export function rakp4Icv(suite: CipherSuite, sik: Buffer, p: RakpParams): Buffer {
  return hmac(suite.hash, sik, p.rm, u32le(p.sidC), p.guid).subarray(0, suite.icvBytes);
}

/** Constant-time comparison that is false (not an exception) when lengths differ. */
export function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * AES-CBC-128 payload: IV ‖ AES(msg ‖ 01 02 … p ‖ p). The pad bytes must count up from 1: ipmitool asserts
 * on anything else and dumps core.
 */
export function encryptPayload(aesKey: Buffer, msg: Buffer, iv: Buffer = randomBytes(16)): Buffer {
  const pad = (16 - ((msg.length + 1) % 16)) % 16;
  const plain = Buffer.alloc(msg.length + pad + 1);
  msg.copy(plain);
  for (let i = 1; i <= pad; i++) plain[msg.length + i - 1] = i;
  plain[plain.length - 1] = pad;
  const cipher = createCipheriv('aes-128-cbc', aesKey, iv).setAutoPadding(false);
  return Buffer.concat([iv, cipher.update(plain), cipher.final()]);
}

/** Decrypts an AES-CBC-128 payload; undefined when its length or confidentiality pad is not well formed. */
export function decryptPayload(aesKey: Buffer, payload: Buffer): Buffer | undefined {
  if (payload.length < 32 || payload.length % 16 !== 0) return undefined;
  const decipher = createDecipheriv('aes-128-cbc', aesKey, payload.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(payload.subarray(16)), decipher.final()]);
  const pad = plain[plain.length - 1]!;
  if (pad > 15 || pad + 1 > plain.length) return undefined;
  for (let i = 1; i <= pad; i++) if (plain[plain.length - 1 - pad + i - 1] !== i) return undefined;
  return plain.subarray(0, plain.length - 1 - pad);
}
