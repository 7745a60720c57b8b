/**
 * The IPMI LAN message (rsAddr, netFn/LUN, checksum, rqAddr, rqSeq/LUN, cmd, data, checksum) that travels inside
 * both v1.5 and v2.0 session payloads. Codec in both directions: the server decodes requests and encodes
 * responses; the test client does the reverse.
 */

/** A decoded request, with the header fields a response must echo. */
export interface IpmiRequest {
  rsAddr: number;
  netFn: number;
  rsLun: number;
  rqAddr: number;
  rqSeq: number;
  rqLun: number;
  cmd: number;
  data: Buffer;
}

/** A decoded response as a client sees it. */
export interface IpmiResponse {
  netFn: number;
  rqSeq: number;
  cmd: number;
  cc: number;
  data: Buffer;
}

/** Two's complement checksum: the byte that makes the sum of `bytes` plus itself 0 mod 256. */
export function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (const b of bytes) sum = (sum + b) & 0xff;
  return (0x100 - sum) & 0xff;
}

/** True when both header checksums of a LAN message are right (bytes 0..2 and 3..end). */
function checksumsValid(msg: Buffer): boolean {
  return checksum(msg.subarray(0, 2)) === msg[2] && checksum(msg.subarray(3, msg.length - 1)) === msg[msg.length - 1];
}

/**
 * Decodes a request message; undefined when it is too short or a checksum is wrong (a real BMC discards such
 * messages, and so do we: a wrong checksum means corruption, not a command to answer).
 */
export function decodeRequest(msg: Buffer): IpmiRequest | undefined {
  if (msg.length < 7 || !checksumsValid(msg)) return undefined;
  const b1 = msg[1]!;
  const b4 = msg[4]!;
  return {
    rsAddr: msg[0]!,
    netFn: b1 >> 2,
    rsLun: b1 & 0x03,
    rqAddr: msg[3]!,
    rqSeq: b4 >> 2,
    rqLun: b4 & 0x03,
    cmd: msg[5]!,
    data: Buffer.from(msg.subarray(6, msg.length - 1)),
  };
}

/** Encodes the response to `req`: netFn + 1, addresses swapped, rqSeq and cmd echoed, then cc and data. */
export function encodeResponse(req: IpmiRequest, cc: number, data: Uint8Array = Buffer.alloc(0)): Buffer {
  const out = Buffer.alloc(8 + data.length);
  out[0] = req.rqAddr;
  out[1] = (((req.netFn | 1) & 0x3f) << 2) | req.rqLun;
  out[2] = checksum(out.subarray(0, 2));
  out[3] = req.rsAddr;
  out[4] = ((req.rqSeq & 0x3f) << 2) | req.rsLun;
  out[5] = req.cmd;
  out[6] = cc;
  out.set(data, 7);
  out[out.length - 1] = checksum(out.subarray(3, out.length - 1));
  return out;
}

/** Encodes a request as ipmitool does (rsAddr 0x20, rqAddr 0x81, LUNs 0). */
export function encodeRequest(netFn: number, cmd: number, rqSeq: number, data: Uint8Array = Buffer.alloc(0)): Buffer {
  const out = Buffer.alloc(7 + data.length);
  out[0] = 0x20;
  out[1] = (netFn & 0x3f) << 2;
  out[2] = checksum(out.subarray(0, 2));
  out[3] = 0x81;
  out[4] = (rqSeq & 0x3f) << 2;
  out[5] = cmd;
  out.set(data, 6);
  out[out.length - 1] = checksum(out.subarray(3, out.length - 1));
  return out;
}

/** Decodes a response message; undefined when it is shorter than the fixed header. */
export function decodeResponse(msg: Buffer): IpmiResponse | undefined {
  if (msg.length < 8) return undefined;
  return {
    netFn: msg[1]! >> 2,
    rqSeq: msg[4]! >> 2,
    cmd: msg[5]!,
    cc: msg[6]!,
    data: Buffer.from(msg.subarray(7, msg.length - 1)),
  };
}
