/**
 * The RMCP+ cipher suites this BMC implements, and how they are advertised (Get Channel Cipher Suites) and
 * matched (Open Session Request). Only suites 3 and 17 exist: they are what ipmitool picks (17 when listed,
 * else 3) and what `-C 3` / `-C 17` ask for.
 */

export type HashName = 'sha1' | 'sha256';

export interface CipherSuite {
  id: number;
  /** RAKP authentication algorithm number (Open Session Request byte 12). */
  authAlg: number;
  /** Integrity algorithm number (byte 20). */
  integrityAlg: number;
  /** Confidentiality algorithm number (byte 28); 1 = AES-CBC-128. */
  confAlg: number;
  /** Hash of RAKP HMACs, key derivation and the integrity HMAC. */
  hash: HashName;
  /** Bytes of the RAKP 2/3 key exchange auth codes (full HMAC). */
  rakpCodeBytes: number;
  /** Bytes of the RAKP 4 ICV and of every per-packet AuthCode (truncated HMAC). */
  icvBytes: number;
}

export const CIPHER_SUITES: ReadonlyMap<number, CipherSuite> = new Map([
  [3, { id: 3, authAlg: 0x01, integrityAlg: 0x01, confAlg: 0x01, hash: 'sha1', rakpCodeBytes: 20, icvBytes: 12 }],
  [17, { id: 17, authAlg: 0x03, integrityAlg: 0x04, confAlg: 0x01, hash: 'sha256', rakpCodeBytes: 32, icvBytes: 16 }],
]);

export const DEFAULT_CIPHER_SUITES: readonly number[] = [3, 17];

/** The suite among `advertised` whose three algorithms are exactly those requested, if any. */
export function matchCipherSuite(
  advertised: readonly number[],
  authAlg: number,
  integrityAlg: number,
  confAlg: number,
): CipherSuite | undefined {
  for (const id of advertised) {
    const s = CIPHER_SUITES.get(id);
    if (s && s.authAlg === authAlg && s.integrityAlg === integrityAlg && s.confAlg === confAlg) return s;
  }
  return undefined;
}

/**
 * The cipher suite record list of Get Channel Cipher Suites: per suite `C0 id auth integ|0x40 conf|0x80`
 * (the tag bits mark algorithm classes, spec table 22-18).
 */
export function cipherSuiteRecords(advertised: readonly number[]): Buffer {
  const bytes: number[] = [];
  for (const id of advertised) {
    const s = CIPHER_SUITES.get(id);
    if (s) bytes.push(0xc0, s.id, s.authAlg, s.integrityAlg | 0x40, s.confAlg | 0x80);
  }
  return Buffer.from(bytes);
}
