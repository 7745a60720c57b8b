/**
 * IPMI v1.5 session framing (`ipmitool -I lan`, and pre-session Get Channel Authentication Capabilities of
 * `-I lanplus`): RMCP header, auth type, sequence, session ID, optional 16-byte auth code, length, message.
 */
import { createHash } from 'node:crypto';
import { AuthType } from './constants.js';
import { writeRmcpIpmiHeader } from './rmcp.js';

export interface V15Frame {
  authType: number;
  seq: number;
  sessionId: number;
  /** Present iff authType is not NONE. */
  authCode?: Buffer;
  msg: Buffer;
}

const HEADER_BYTES = 13;

/** Decodes a v1.5 datagram; undefined when lengths do not add up (truncated or padded frames are discarded). */
export function decodeV15(datagram: Buffer): V15Frame | undefined {
  if (datagram.length < HEADER_BYTES + 1) return undefined;
  const authType = datagram[4]! & 0x3f;
  const seq = datagram.readUInt32LE(5);
  const sessionId = datagram.readUInt32LE(9);
  let off = HEADER_BYTES;
  let authCode: Buffer | undefined;
  if (authType !== AuthType.none) {
    if (datagram.length < off + 17) return undefined;
    authCode = Buffer.from(datagram.subarray(off, off + 16));
    off += 16;
  }
  const len = datagram[off]!;
  // `len` bytes must follow, plus at most the one "legacy pad" byte some v1.5 clients (pyghmi) append.
  const extra = datagram.length - (off + 1 + len);
  if (extra < 0 || extra > 1) return undefined;
  const msg = Buffer.from(datagram.subarray(off + 1, off + 1 + len));
  return authCode ? { authType, seq, sessionId, authCode, msg } : { authType, seq, sessionId, msg };
}

/** Encodes a v1.5 datagram; the auth code field is written iff `authCode` is given. */
export function encodeV15(frame: V15Frame): Buffer {
  const authLen = frame.authCode ? 16 : 0;
  const out = Buffer.alloc(HEADER_BYTES + authLen + 1 + frame.msg.length);
  writeRmcpIpmiHeader(out);
  out[4] = frame.authType;
  out.writeUInt32LE(frame.seq >>> 0, 5);
  out.writeUInt32LE(frame.sessionId >>> 0, 9);
  if (frame.authCode) frame.authCode.copy(out, HEADER_BYTES, 0, 16);
  out[HEADER_BYTES + authLen] = frame.msg.length;
  frame.msg.copy(out, HEADER_BYTES + authLen + 1);
  return out;
}

/** The password as the auth code algorithms use it: NUL-padded or truncated to 16 bytes. */
export function password16(password: string): Buffer {
  const out = Buffer.alloc(16);
  Buffer.from(password, 'utf8').copy(out, 0, 0, 16);
  return out;
}

/**
 * The 16-byte auth code of a v1.5 message (`auth.c`): MD5(pw16 ‖ sessionId ‖ msg ‖ seq ‖ pw16) for MD5, the
 * padded password itself for straight password; undefined for NONE (no auth code field).
 */
export function v15AuthCode(
  authType: number,
  password: string,
  sessionId: number,
  msg: Buffer,
  seq: number,
): Buffer | undefined {
  const pw = password16(password);
  if (authType === AuthType.password) return pw;
  if (authType !== AuthType.md5) return undefined;
  const le = Buffer.alloc(8);
  le.writeUInt32LE(sessionId >>> 0, 0);
  le.writeUInt32LE(seq >>> 0, 4);
  return createHash('md5').update(pw).update(le.subarray(0, 4)).update(msg).update(le.subarray(4, 8)).update(pw).digest();
}
