/**
 * Payload codecs of RMCP+ session setup (brief A.7, A.8): Open Session Request/Response and RAKP 1–4. Both
 * directions, so the server and the test client share one definition of every offset.
 */
import { u32le } from './lanplus-crypto.js';

export interface OpenSessionRequest {
  tag: number;
  /** 0 = "highest level the user may have". */
  maxPriv: number;
  sidM: number;
  authAlg: number;
  integrityAlg: number;
  confAlg: number;
}

export interface Rakp1 {
  tag: number;
  sidC: number;
  rm: Buffer;
  role: number;
  username: string;
}

export interface Rakp3 {
  tag: number;
  status: number;
  sidC: number;
  authCode: Buffer;
}

/** A generic RAKP 2/4 or Open Session Response as the console reads it. */
export interface SetupReply {
  tag: number;
  status: number;
  sidM: number;
  rest: Buffer;
}

/** One algorithm payload: type, 00 00, length 8, algorithm, 00 00 00. Returns the algorithm or undefined. */
function algorithmAt(buf: Buffer, off: number, type: number): number | undefined {
  if (buf[off] !== type || buf[off + 3] !== 0x08) return undefined;
  return buf[off + 4]! & 0x3f;
}

function algorithmRecord(type: number, alg: number): Buffer {
  return Buffer.from([type, 0, 0, 8, alg, 0, 0, 0]);
}

export function decodeOpenSessionRequest(p: Buffer): OpenSessionRequest | undefined {
  if (p.length !== 32) return undefined;
  const authAlg = algorithmAt(p, 8, 0);
  const integrityAlg = algorithmAt(p, 16, 1);
  const confAlg = algorithmAt(p, 24, 2);
  if (authAlg === undefined || integrityAlg === undefined || confAlg === undefined) return undefined;
  return { tag: p[0]!, maxPriv: p[1]! & 0x0f, sidM: p.readUInt32LE(4), authAlg, integrityAlg, confAlg };
}

export function encodeOpenSessionRequest(r: OpenSessionRequest): Buffer {
  const head = Buffer.concat([Buffer.from([r.tag, r.maxPriv, 0, 0]), u32le(r.sidM)]);
  return Buffer.concat([head, algorithmRecord(0, r.authAlg), algorithmRecord(1, r.integrityAlg), algorithmRecord(2, r.confAlg)]);
}

/** Open Session Response; on error (status ≠ 0) only the first 8 bytes, as ipmitool expects. */
export function encodeOpenSessionResponse(
  req: Pick<OpenSessionRequest, 'tag' | 'sidM' | 'authAlg' | 'integrityAlg' | 'confAlg'>,
  status: number,
  grantedPriv: number,
  sidC: number,
): Buffer {
  const head = Buffer.concat([Buffer.from([req.tag, status, status === 0 ? grantedPriv : 0, 0]), u32le(req.sidM)]);
  if (status !== 0) return head;
  return Buffer.concat([
    head,
    u32le(sidC),
    algorithmRecord(0, req.authAlg),
    algorithmRecord(1, req.integrityAlg),
    algorithmRecord(2, req.confAlg),
  ]);
}

/** RAKP 1: the name is exactly `ulen` bytes (ipmitool does not pad it to 16). */
export function decodeRakp1(p: Buffer): Rakp1 | undefined {
  if (p.length < 28) return undefined;
  const ulen = p[27]!;
  if (ulen > 16 || p.length < 28 + ulen) return undefined;
  return {
    tag: p[0]!,
    sidC: p.readUInt32LE(4),
    rm: Buffer.from(p.subarray(8, 24)),
    role: p[24]!,
    username: p.subarray(28, 28 + ulen).toString('utf8'),
  };
}

export function encodeRakp1(r: Rakp1): Buffer {
  const user = Buffer.from(r.username, 'utf8');
  return Buffer.concat([Buffer.from([r.tag, 0, 0, 0]), u32le(r.sidC), r.rm, Buffer.from([r.role, 0, 0, user.length]), user]);
}

/** RAKP 2 (status 0: Rc, GUIDc, auth code follow) — also used for RAKP 4 with `rest` = ICV. */
export function encodeSetupReply(tag: number, status: number, sidM: number, rest: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([Buffer.from([tag, status, 0, 0]), u32le(sidM), status === 0 ? rest : Buffer.alloc(0)]);
}

export function decodeSetupReply(p: Buffer): SetupReply | undefined {
  if (p.length < 8) return undefined;
  return { tag: p[0]!, status: p[1]!, sidM: p.readUInt32LE(4), rest: Buffer.from(p.subarray(8)) };
}

export function decodeRakp3(p: Buffer): Rakp3 | undefined {
  if (p.length < 8) return undefined;
  return { tag: p[0]!, status: p[1]!, sidC: p.readUInt32LE(4), authCode: Buffer.from(p.subarray(8)) };
}

export function encodeRakp3(r: Rakp3): Buffer {
  return Buffer.concat([Buffer.from([r.tag, r.status, 0, 0]), u32le(r.sidC), r.authCode]);
}
