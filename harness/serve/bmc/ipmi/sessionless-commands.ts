/**
 * Commands a console may send before it has a session (authtype NONE, session ID 0): Get Channel
 * Authentication Capabilities, Get Channel Cipher Suites, and v1.5 Get Session Challenge (which opens a
 * temporary session). Anything else outside a session needs one: answered 0xD4 / 0xC1, never dropped.
 */
import { randomBytes } from 'node:crypto';
import { AppCmd, AuthType, Cc, CURRENT_CHANNEL, LAN_CHANNEL, NetFn, Priv } from './constants.js';
import type { BmcContext, CommandResult } from './bmc-context.js';
import { cipherSuiteRecords } from './cipher-suites.js';
import type { IpmiRequest } from './ipmi-message.js';

/** v1.5 auth types this BMC accepts: NONE (only for users without a password), MD5, straight password. */
export const V15_AUTH_TYPES: readonly number[] = [AuthType.none, AuthType.md5, AuthType.password];

const V15_AUTH_TYPE_BITS = V15_AUTH_TYPES.reduce((bits, t) => bits | (1 << t), 0);

/** Cipher suite records per Get Channel Cipher Suites response; exactly 16 makes ipmitool ask for the next page. */
const RECORD_PAGE_BYTES = 16;

function channelOk(byte: number): boolean {
  const ch = byte & 0x0f;
  return ch === CURRENT_CHANNEL || ch === LAN_CHANNEL;
}

/**
 * Get Channel Authentication Capabilities. The IPMI v2.0 bit is set only when the request asked for v2 data
 * (byte 0 bit 7), as the spec says; lanplus needs it, `-I lan` must not see it.
 */
export function getChannelAuthCaps(ctx: BmcContext, req: IpmiRequest): CommandResult {
  if (req.data.length !== 2) return { cc: Cc.requestDataLengthInvalid };
  const wantsV2 = (req.data[0]! & 0x80) !== 0;
  const priv = req.data[1]! & 0x0f;
  if (!channelOk(req.data[0]!) || priv < Priv.callback || priv > 5) return { cc: Cc.invalidDataField };
  // b2 non-null user names enabled; b1 null user names, when this node's user has an empty name.
  const userStatus = ctx.node.credentials.username === '' ? 0x02 : 0x04;
  const data = Buffer.from([LAN_CHANNEL, V15_AUTH_TYPE_BITS | (wantsV2 ? 0x80 : 0), userStatus, wantsV2 ? 0x03 : 0x00, 0, 0, 0, 0]);
  return { cc: Cc.ok, data };
}

/** Get Channel Cipher Suites, list-by-suite; pages of 16 record bytes selected by the low 6 bits of byte 2. */
export function getChannelCipherSuites(ctx: BmcContext, req: IpmiRequest): CommandResult {
  if (req.data.length !== 3) return { cc: Cc.requestDataLengthInvalid };
  if (!channelOk(req.data[0]!)) return { cc: Cc.invalidDataField };
  // Only the IPMI payload type has cipher suites here; other payload types get an empty list.
  const records = req.data[1] === 0x00 ? cipherSuiteRecords(ctx.cipherSuites) : Buffer.alloc(0);
  const page = req.data[2]! & 0x3f;
  const slice = records.subarray(page * RECORD_PAGE_BYTES, (page + 1) * RECORD_PAGE_BYTES);
  return { cc: Cc.ok, data: Buffer.concat([Buffer.from([LAN_CHANNEL]), slice]) };
}

/** The user name field of Get Session Challenge: 16 bytes, NUL-padded. */
function userField(data: Buffer): string {
  const raw = data.subarray(1, 17);
  const nul = raw.indexOf(0);
  return raw.subarray(0, nul < 0 ? raw.length : nul).toString('utf8');
}

/** Get Session Challenge: checks the user name, opens a temporary session, returns its ID and a challenge. */
export function getSessionChallenge(ctx: BmcContext, req: IpmiRequest): CommandResult {
  if (req.data.length !== 17) return { cc: Cc.requestDataLengthInvalid };
  const authType = req.data[0]! & 0x0f;
  if (!V15_AUTH_TYPES.includes(authType)) return { cc: Cc.invalidDataField };
  const username = userField(req.data);
  const expected = ctx.node.credentials.username;
  if (username === '' && expected !== '') return { cc: Cc.x82 };
  if (username !== expected) return { cc: Cc.x81 };
  const challenge = randomBytes(16);
  const session = ctx.sessions.create(username, Priv.administrator, { kind: 'v15-challenge', authType, challenge }, ctx.source);
  // No free slot: the spec has no code for that here; "node busy" makes ipmitool give up with a clear error.
  if (!session) return { cc: Cc.nodeBusy };
  const id = Buffer.alloc(4);
  id.writeUInt32LE(session.id, 0);
  return { cc: Cc.ok, data: Buffer.concat([id, challenge]) };
}

/** Dispatches a pre-session command; v1.5-only Get Session Challenge is refused in RMCP+ framing. */
export function handleSessionless(ctx: BmcContext, req: IpmiRequest, framing: 'v15' | 'v20'): CommandResult {
  if (req.netFn === NetFn.app) {
    if (req.cmd === AppCmd.getChannelAuthCaps) return getChannelAuthCaps(ctx, req);
    if (req.cmd === AppCmd.getChannelCipherSuites) return getChannelCipherSuites(ctx, req);
    if (req.cmd === AppCmd.getSessionChallenge && framing === 'v15') return getSessionChallenge(ctx, req);
  }
  return { cc: isKnownSessionCommand(req) ? Cc.insufficientPrivilege : Cc.invalidCommand };
}

function isKnownSessionCommand(req: IpmiRequest): boolean {
  if (req.netFn === NetFn.chassis) return req.cmd === 0x01 || req.cmd === 0x02;
  return req.netFn === NetFn.app && [0x01, 0x3a, 0x3b, 0x3c].includes(req.cmd);
}
