/**
 * Commands inside an active session (v1.5 or RMCP+): session management, Get Device ID, Get Chassis Status and
 * Chassis Control, mapped onto the backend. Everything else is answered 0xC1 ("invalid command") at once —
 * a silent drop would cost the client seconds of retries.
 */
import type { PowerAction } from '../backend.js';
import type { BmcContext, CommandResult } from './bmc-context.js';
import { isBroken } from './bmc-context.js';
import { AppCmd, Cc, ChassisCmd, NetFn, Priv } from './constants.js';
import { encodeResponse, type IpmiRequest } from './ipmi-message.js';
import type { Session } from './session-table.js';
import { getChannelAuthCaps, getChannelCipherSuites } from './sessionless-commands.js';

/** Chassis Control byte → backend action (IPMI 2.0 table 28-4). */
const CHASSIS_CONTROL: readonly PowerAction[] = ['off', 'on', 'cycle', 'reset', 'diag', 'soft'];

/**
 * Get Device ID: device 0x20, rev 1, firmware 1.00, IPMI 2.0, manufacturer 0 (so ipmitool applies no OEM
 * quirks), product 0, no aux firmware info.
 */
const DEVICE_ID = Buffer.from([0x20, 0x01, 0x01, 0x00, 0x02, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

/** Power restore policy "previous" (bits 6:5 = 01) in Get Chassis Status byte 0. */
const RESTORE_POLICY_PREVIOUS = 0x20;

function setSessionPrivilege(session: Session, req: IpmiRequest): CommandResult {
  if (req.data.length !== 1) return { cc: Cc.requestDataLengthInvalid };
  const level = req.data[0]! & 0x0f;
  if (level === 0) return { cc: Cc.ok, data: Buffer.from([session.priv]) };
  // 0x81: "requested level exceeds channel and/or user privilege limit".
  if (level > session.maxPriv) return { cc: Cc.x81 };
  session.priv = level;
  return { cc: Cc.ok, data: Buffer.from([level]) };
}

/** Close Session: the own session, or (ADMINISTRATOR only) another session of this BMC; 0x87 if unknown. */
function closeSession(ctx: BmcContext, session: Session, req: IpmiRequest): CommandResult {
  if (req.data.length !== 4 && req.data.length !== 5) return { cc: Cc.requestDataLengthInvalid };
  const id = req.data.readUInt32LE(0);
  const target = ctx.sessions.get(id);
  if (!target || (target.state.kind !== 'v15' && target.state.kind !== 'v20')) return { cc: Cc.invalidSessionId };
  if (target !== session && session.priv < Priv.administrator) return { cc: Cc.insufficientPrivilege };
  return { cc: Cc.ok, closeSessionId: id };
}

function chassisStatus(ctx: BmcContext): CommandResult {
  const on = ctx.backend.power(ctx.node.name) === 'on' ? 0x01 : 0x00;
  return { cc: Cc.ok, data: Buffer.from([on | RESTORE_POLICY_PREVIOUS, 0x00, 0x00]) };
}

/** Chassis Control: hand the action to the backend and answer once it is accepted; power changes later. */
async function chassisControl(ctx: BmcContext, session: Session, req: IpmiRequest): Promise<CommandResult> {
  if (req.data.length !== 1) return { cc: Cc.requestDataLengthInvalid };
  const action = CHASSIS_CONTROL[req.data[0]!];
  if (!action) return { cc: Cc.invalidDataField };
  if (session.priv < Priv.operator) return { cc: Cc.insufficientPrivilege };
  try {
    await ctx.backend.powerAction(ctx.node.name, action, 'ipmi');
    ctx.log.debug({ node: ctx.node.name, action, session: session.id }, 'ipmi chassis control');
    return { cc: Cc.ok };
  } catch (err) {
    ctx.log.debug({ node: ctx.node.name, action, err }, 'ipmi chassis control refused by backend');
    return { cc: Cc.unspecified };
  }
}

function appCommand(ctx: BmcContext, req: IpmiRequest): CommandResult | undefined {
  switch (req.cmd) {
    case AppCmd.getDeviceId:
      return { cc: Cc.ok, data: DEVICE_ID };
    case AppCmd.getChannelAuthCaps:
      return getChannelAuthCaps(ctx, req);
    case AppCmd.getChannelCipherSuites:
      return getChannelCipherSuites(ctx, req);
    default:
      return undefined;
  }
}

/**
 * Runs one in-session command. A `broken` BMC still manages sessions (so clients get past login and see a
 * command error, as with a BMC whose management firmware is wedged) but fails every other command with 0xFF.
 */
export async function runSessionCommand(ctx: BmcContext, session: Session, req: IpmiRequest): Promise<CommandResult> {
  if (req.netFn === NetFn.app && req.cmd === AppCmd.setSessionPrivilege) return setSessionPrivilege(session, req);
  if (req.netFn === NetFn.app && req.cmd === AppCmd.closeSession) return closeSession(ctx, session, req);
  if (isBroken(ctx)) return { cc: Cc.unspecified };
  if (req.netFn === NetFn.app) return appCommand(ctx, req) ?? { cc: Cc.invalidCommand };
  if (req.netFn === NetFn.chassis && req.cmd === ChassisCmd.getStatus) return chassisStatus(ctx);
  if (req.netFn === NetFn.chassis && req.cmd === ChassisCmd.control) return chassisControl(ctx, session, req);
  return { cc: Cc.invalidCommand };
}

/** An encoded answer, and the session to close once it has been sent (Close Session). */
export interface SessionReply {
  msg: Buffer;
  closeSessionId?: number;
}

/**
 * Answers one in-session request. A retransmission (same message bytes, hence same rqSeq, under a new session
 * sequence number) gets the cached answer instead of running again — a retried Chassis Control must not
 * power-cycle twice — and is dropped while the first copy is still being executed.
 */
export async function answerInSession(
  ctx: BmcContext,
  session: Session,
  req: IpmiRequest,
  rawMsg: Buffer,
): Promise<SessionReply | undefined> {
  const key = rawMsg.toString('hex');
  if (session.lastReply?.key === key) {
    return session.lastReply.msg ? { msg: session.lastReply.msg } : undefined;
  }
  const pending: { key: string; msg?: Buffer } = { key };
  session.lastReply = pending;
  const result = await runSessionCommand(ctx, session, req);
  const msg = encodeResponse(req, result.cc, result.data);
  pending.msg = msg;
  return result.closeSessionId === undefined ? { msg } : { msg, closeSessionId: result.closeSessionId };
}
