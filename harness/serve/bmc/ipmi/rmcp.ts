/**
 * RMCP framing (the 4-byte header on every datagram) and the ASF presence ping/pong that `ipmitool -I lan` sends
 * before opening a v1.5 session. Without a pong ipmitool waits one full timeout before carrying on.
 */
import { RmcpClass } from './constants.js';

/** RMCP version 1.0, reserved, sequence 0xFF (= "no RMCP ACK wanted"). */
const RMCP_PREFIX = [0x06, 0x00, 0xff] as const;

/** The IANA enterprise number of the ASF (4542), big-endian as ASF sends it. */
const ASF_IANA = [0x00, 0x00, 0x11, 0xbe] as const;

const ASF_PING = 0x80;
const ASF_PONG = 0x40;

/** Returns the RMCP message class, or undefined when the datagram does not start with an RMCP 1.0 header. */
export function rmcpClass(datagram: Buffer): number | undefined {
  if (datagram.length < 5) return undefined;
  if (datagram[0] !== 0x06) return undefined;
  const cls = datagram[3]! & 0x7f;
  return cls === RmcpClass.asf || cls === RmcpClass.ipmi ? cls : undefined;
}

/** Writes the RMCP header for an IPMI-class datagram into `out` at offset 0. */
export function writeRmcpIpmiHeader(out: Buffer): void {
  out[0] = RMCP_PREFIX[0];
  out[1] = RMCP_PREFIX[1];
  out[2] = RMCP_PREFIX[2];
  out[3] = RmcpClass.ipmi;
}

/** The message tag of an ASF presence ping, or undefined when the datagram is not one. */
export function asfPingTag(datagram: Buffer): number | undefined {
  if (datagram.length < 12 || datagram[3] !== RmcpClass.asf) return undefined;
  for (let i = 0; i < 4; i++) if (datagram[4 + i] !== ASF_IANA[i]) return undefined;
  if (datagram[8] !== ASF_PING) return undefined;
  return datagram[9];
}

/**
 * The presence pong answering a ping with `tag`: IANA 4542, no OEM data, supported entities 0x81 (IPMI supported,
 * ASF 1.0; ipmitool requires bit 0x80), no supported interactions.
 */
export function encodeAsfPong(tag: number): Buffer {
  const out = Buffer.alloc(28);
  out.set([...RMCP_PREFIX, RmcpClass.asf, ...ASF_IANA, ASF_PONG, tag & 0xff, 0x00, 0x10, ...ASF_IANA], 0);
  out[20] = 0x81;
  return out;
}

/** The 12-byte presence ping as ipmitool sends it (tag 0 unless given). */
export function encodeAsfPing(tag = 0): Buffer {
  return Buffer.from([...RMCP_PREFIX, RmcpClass.asf, ...ASF_IANA, ASF_PING, tag & 0xff, 0x00, 0x00]);
}
