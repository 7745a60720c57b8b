/**
 * IPMI v2.0 / RMCP+ session framing (brief A.6, A.10): RMCP header, 0x06, payload type, session ID, sequence,
 * 2-byte payload length, payload, and — when the packet is authenticated — the integrity trailer
 * (0xFF pad to a 4-byte boundary, pad length, next header 0x07, AuthCode over bytes 4..next header).
 */
import { AuthType, PAYLOAD_AUTHENTICATED, PAYLOAD_ENCRYPTED } from './constants.js';
import type { CipherSuite } from './cipher-suites.js';
import { hmac, safeEqual } from './lanplus-crypto.js';
import { writeRmcpIpmiHeader } from './rmcp.js';

export interface V20Frame {
  payloadType: number;
  encrypted: boolean;
  authenticated: boolean;
  sessionId: number;
  seq: number;
  /** As on the wire: still encrypted when `encrypted`. */
  payload: Buffer;
}

const HEADER_BYTES = 16;
const NEXT_HEADER = 0x07;

/** Decodes the header and payload; the trailer (if any) is checked separately by `integrityValid`. */
export function decodeV20(datagram: Buffer): V20Frame | undefined {
  if (datagram.length < HEADER_BYTES || datagram[4] !== AuthType.rmcpPlus) return undefined;
  const typeByte = datagram[5]!;
  const len = datagram.readUInt16LE(14);
  if (datagram.length < HEADER_BYTES + len) return undefined;
  return {
    payloadType: typeByte & 0x3f,
    encrypted: (typeByte & PAYLOAD_ENCRYPTED) !== 0,
    authenticated: (typeByte & PAYLOAD_AUTHENTICATED) !== 0,
    sessionId: datagram.readUInt32LE(6),
    seq: datagram.readUInt32LE(10),
    payload: Buffer.from(datagram.subarray(HEADER_BYTES, HEADER_BYTES + len)),
  };
}

/** How many 0xFF bytes pad the integrity trailer so that (12 + payload + pad + 2) is a multiple of 4. */
function integrityPad(payloadLen: number): number {
  return (4 - ((12 + payloadLen + 2) % 4)) % 4;
}

/**
 * True when the datagram ends in a well-formed trailer for this suite (0xFF pad of at most 3 bytes, pad length,
 * next header 0x07, AuthCode of the suite's length) and the AuthCode is HMAC_K1 over bytes 4 .. next header,
 * truncated. The pad length is read, not recomputed, so clients that pad differently still verify.
 */
export function integrityValid(datagram: Buffer, frame: V20Frame, suite: CipherSuite, k1: Buffer): boolean {
  const end = datagram.length - suite.icvBytes;
  const pad = datagram[end - 2];
  if (pad === undefined || pad > 3 || datagram[end - 1] !== NEXT_HEADER) return false;
  if (HEADER_BYTES + frame.payload.length + pad + 2 !== end) return false;
  for (let i = end - 2 - pad; i < end - 2; i++) if (datagram[i] !== 0xff) return false;
  const code = hmac(suite.hash, k1, datagram.subarray(4, end)).subarray(0, suite.icvBytes);
  return safeEqual(code, datagram.subarray(end));
}

/** Encodes a v2.0 datagram; with `integrity`, sets the authenticated bit and appends the trailer. */
export function encodeV20(
  frame: Omit<V20Frame, 'authenticated'>,
  integrity?: { suite: CipherSuite; k1: Buffer },
): Buffer {
  const len = frame.payload.length;
  const pad = integrity ? integrityPad(len) : 0;
  const trailer = integrity ? pad + 2 + integrity.suite.icvBytes : 0;
  const out = Buffer.alloc(HEADER_BYTES + len + trailer);
  writeRmcpIpmiHeader(out);
  out[4] = AuthType.rmcpPlus;
  out[5] = (frame.payloadType & 0x3f) | (frame.encrypted ? PAYLOAD_ENCRYPTED : 0) | (integrity ? PAYLOAD_AUTHENTICATED : 0);
  out.writeUInt32LE(frame.sessionId >>> 0, 6);
  out.writeUInt32LE(frame.seq >>> 0, 10);
  out.writeUInt16LE(len, 14);
  frame.payload.copy(out, HEADER_BYTES);
  if (!integrity) return out;
  const end = HEADER_BYTES + len + pad + 2;
  out.fill(0xff, HEADER_BYTES + len, end - 2);
  out[end - 2] = pad;
  out[end - 1] = NEXT_HEADER;
  hmac(integrity.suite.hash, integrity.k1, out.subarray(4, end)).copy(out, end, 0, integrity.suite.icvBytes);
  return out;
}
