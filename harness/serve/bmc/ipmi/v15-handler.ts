/**
 * IPMI v1.5 sessions (`ipmitool -I lan`, fence_ipmilan's default), brief A.14: pre-session commands, Activate
 * Session (authenticated with the challenge), then per-message authenticated commands. Every function returns
 * the datagram to send, or undefined to stay silent; none of them throws on bad input.
 */
import { AppCmd, AuthType, Cc, NetFn, Priv } from './constants.js';
import type { BmcContext } from './bmc-context.js';
import { decodeRequest, encodeResponse, type IpmiRequest } from './ipmi-message.js';
import { safeEqual } from './lanplus-crypto.js';
import { SeqWindow } from './seq-window.js';
import { answerInSession } from './session-commands.js';
import type { Session, V15Active, V15Challenge } from './session-table.js';
import { handleSessionless } from './sessionless-commands.js';
import { decodeV15, encodeV15, v15AuthCode, type V15Frame } from './v15-frame.js';
import { randomBytes } from 'node:crypto';

/** Next non-zero sequence number (ipmitool skips 0, and so does the spec). */
function nextSeq(seq: number): number {
  const n = (seq + 1) >>> 0;
  return n === 0 ? 1 : n;
}

/** Whether the frame's auth code is the one the node's password gives (NONE: no code, and no password set). */
function authenticates(ctx: BmcContext, frame: V15Frame): boolean {
  const password = ctx.node.credentials.password;
  if (frame.authType === AuthType.none) return password === '';
  const expected = v15AuthCode(frame.authType, password, frame.sessionId, frame.msg, frame.seq);
  return !!expected && !!frame.authCode && safeEqual(expected, frame.authCode);
}

/**
 * Encodes a session reply. Once a session is activated ipmitool skips a 16-byte auth code in every reply
 * without reading it, so the field must be there; it is computed properly, except in error replies to
 * unauthenticated requests (zeros: no password-derived code for a stranger to attack offline).
 */
function sessionReply(ctx: BmcContext, authType: number, sessionId: number, seq: number, msg: Buffer, sign: boolean): Buffer {
  if (authType === AuthType.none) return encodeV15({ authType, seq, sessionId, msg });
  const code = sign ? v15AuthCode(authType, ctx.node.credentials.password, sessionId, msg, seq) : undefined;
  return encodeV15({ authType, seq, sessionId, msg, authCode: code ?? Buffer.alloc(16) });
}

/** Activate Session: checks challenge and auth code, then turns the temporary session into an active one. */
function activate(ctx: BmcContext, session: Session, state: V15Challenge, frame: V15Frame, req: IpmiRequest): Buffer | undefined {
  const fail = (cc: number): Buffer => {
    ctx.sessions.delete(session.id);
    return sessionReply(ctx, state.authType, session.id, 0, encodeResponse(req, cc), false);
  };
  if (req.data.length !== 22) return fail(Cc.requestDataLengthInvalid);
  const requestedPriv = req.data[1]! & 0x0f;
  const challengeOk = safeEqual(req.data.subarray(2, 18), state.challenge) && (req.data[0]! & 0x0f) === state.authType;
  // Wrong password or challenge: real BMCs differ (silent drop or an error); answering 0xD4 lets ipmitool fail
  // at once ("Activate Session error: Insufficient privilege level") instead of after ~10 s of retries.
  if (!challengeOk || !authenticates(ctx, frame)) return fail(Cc.insufficientPrivilege);
  if (requestedPriv < Priv.callback || requestedPriv > Priv.administrator) return fail(Cc.activateInvalidPriv);
  // Handshakes are not bounded by the active limit (see session-table.ts): check it when one completes.
  if (!ctx.sessions.hasActiveRoom()) return fail(Cc.nodeBusy);
  const inbound = nextSeq(randomBytes(4).readUInt32LE(0));
  const outSeq = nextSeq(req.data.readUInt32LE(18) - 1);
  const data = Buffer.alloc(10);
  data[0] = state.authType;
  data.writeUInt32LE(session.id, 1);
  data.writeUInt32LE(inbound, 5);
  data[9] = requestedPriv;
  const response = sessionReply(ctx, state.authType, session.id, outSeq, encodeResponse(req, Cc.ok, data), true);
  const active: V15Active = {
    kind: 'v15',
    authType: state.authType,
    window: new SeqWindow(inbound - 1),
    outSeq: nextSeq(outSeq),
    activation: { request: frame.msg, response },
  };
  session.state = active;
  session.maxPriv = requestedPriv;
  session.priv = Math.min(requestedPriv, Priv.user);
  ctx.sessions.touch(session);
  ctx.log.debug({ node: ctx.node.name, session: session.id, authType: state.authType }, 'ipmi v1.5 session activated');
  return response;
}

/** An authenticated in-session request: replay check, run, sign the answer with the next outbound number. */
async function inSession(ctx: BmcContext, session: Session, state: V15Active, frame: V15Frame, req: IpmiRequest): Promise<Buffer | undefined> {
  if (frame.authType !== state.authType || !authenticates(ctx, frame)) return drop(ctx, 'bad v1.5 auth code');
  if (!state.window.check(frame.seq)) return drop(ctx, 'v1.5 sequence number outside window (replay?)');
  state.window.accept(frame.seq);
  ctx.sessions.touch(session);
  const reply = await answerInSession(ctx, session, req, frame.msg);
  if (!reply) return undefined;
  const seq = state.outSeq;
  state.outSeq = nextSeq(seq);
  const out = sessionReply(ctx, state.authType, session.id, seq, reply.msg, true);
  if (reply.closeSessionId !== undefined) ctx.sessions.delete(reply.closeSessionId);
  return out;
}

function drop(ctx: BmcContext, why: string): undefined {
  ctx.log.debug({ node: ctx.node.name }, `ipmi: dropped datagram: ${why}`);
  return undefined;
}

function isActivate(req: IpmiRequest): boolean {
  return req.netFn === NetFn.app && req.cmd === AppCmd.activateSession;
}

/** Handles one v1.5-framed datagram. */
export async function handleV15(ctx: BmcContext, datagram: Buffer): Promise<Buffer | undefined> {
  const frame = decodeV15(datagram);
  if (!frame) return drop(ctx, 'malformed v1.5 frame');
  const req = decodeRequest(frame.msg);
  if (!req) return drop(ctx, 'malformed IPMI message');
  if (frame.sessionId === 0) {
    if (frame.authType !== AuthType.none) return drop(ctx, 'authenticated frame without a session');
    const result = handleSessionless(ctx, req, 'v15');
    return encodeV15({ authType: AuthType.none, seq: 0, sessionId: 0, msg: encodeResponse(req, result.cc, result.data) });
  }
  const session = ctx.sessions.get(frame.sessionId);
  const state = session?.state;
  if (!session || !state) return drop(ctx, 'unknown v1.5 session');
  if (state.kind === 'v15-challenge') {
    if (!isActivate(req) || frame.authType !== state.authType) return drop(ctx, 'expected Activate Session');
    return activate(ctx, session, state, frame, req);
  }
  if (state.kind !== 'v15') return drop(ctx, 'v1.5 frame for an RMCP+ session');
  // An identical Activate Session retry (our answer was lost) gets the same answer again.
  if (isActivate(req)) return frame.msg.equals(state.activation.request) ? state.activation.response : drop(ctx, 'second activation');
  return inSession(ctx, session, state, frame, req);
}
