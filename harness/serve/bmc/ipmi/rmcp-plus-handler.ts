/**
 * IPMI v2.0 / RMCP+ (`ipmitool -I lanplus`, `fence_ipmilan --lanplus`, pyghmi clients), brief A.5–A.12:
 * pre-session commands, Open Session, RAKP 1–4, then authenticated and encrypted IPMI payloads. Setup errors
 * are answered with the RMCP+ status a real BMC uses (so clients fail fast with their usual message);
 * anything that fails authentication inside a session is dropped silently, as real BMCs do.
 */
import { randomBytes } from 'node:crypto';
import type { BmcContext } from './bmc-context.js';
import { matchCipherSuite } from './cipher-suites.js';
import { PayloadType, Priv, RmcpStatus } from './constants.js';
import { decodeRequest, encodeResponse } from './ipmi-message.js';
import {
  decryptPayload,
  deriveSessionKeys,
  encryptPayload,
  rakp2AuthCode,
  rakp3AuthCode,
  rakp4Icv,
  safeEqual,
  type RakpParams,
} from './lanplus-crypto.js';
import {
  decodeOpenSessionRequest,
  decodeRakp1,
  decodeRakp3,
  encodeOpenSessionResponse,
  encodeSetupReply,
} from './rakp-messages.js';
import { SeqWindow } from './seq-window.js';
import { answerInSession } from './session-commands.js';
import type { Session, V20Setup } from './session-table.js';
import { handleSessionless } from './sessionless-commands.js';
import { decodeV20, encodeV20, integrityValid, type V20Frame } from './v20-frame.js';

/** A pre-session (session ID 0, sequence 0, no trailer) datagram of the given payload type. */
function setupDatagram(payloadType: number, payload: Buffer): Buffer {
  return encodeV20({ payloadType, encrypted: false, sessionId: 0, seq: 0, payload });
}

function drop(ctx: BmcContext, why: string): undefined {
  ctx.log.debug({ node: ctx.node.name }, `ipmi: dropped datagram: ${why}`);
  return undefined;
}

function openSession(ctx: BmcContext, payload: Buffer): Buffer | undefined {
  if (payload.length < 8) return drop(ctx, 'short Open Session Request');
  const req = decodeOpenSessionRequest(payload);
  const reply = (status: number, priv = 0, sidC = 0): Buffer => {
    const echo = req ?? { tag: payload[0]!, sidM: payload.readUInt32LE(4), authAlg: 0, integrityAlg: 0, confAlg: 0 };
    return setupDatagram(PayloadType.openSessionResponse, encodeOpenSessionResponse(echo, status, priv, sidC));
  };
  if (!req || req.sidM === 0) return reply(RmcpStatus.illegalParameter);
  const suite = matchCipherSuite(ctx.cipherSuites, req.authAlg, req.integrityAlg, req.confAlg);
  if (!suite) return reply(RmcpStatus.noCipherSuiteMatch);
  if (req.maxPriv > Priv.administrator) return reply(RmcpStatus.invalidRole);
  const granted = req.maxPriv === 0 ? Priv.administrator : req.maxPriv;
  const session = ctx.sessions.create('', granted, { kind: 'v20-setup', suite, sidM: req.sidM }, ctx.source);
  if (!session) return reply(RmcpStatus.insufficientResources);
  return reply(RmcpStatus.ok, granted, session.id);
}

/** The setup session addressed by a RAKP message, if it is in the right step. */
function setupSession(ctx: BmcContext, sidC: number): { session: Session; state: V20Setup } | undefined {
  const session = ctx.sessions.get(sidC);
  return session?.state.kind === 'v20-setup' ? { session, state: session.state } : undefined;
}

function rakpParams(ctx: BmcContext, session: Session, state: V20Setup): RakpParams | undefined {
  if (!state.rakp) return undefined;
  const { rm, rc, role } = state.rakp;
  return { password: ctx.node.credentials.password, sidM: state.sidM, sidC: session.id, rm, rc, guid: ctx.guid, role, username: session.username };
}

function rakp1(ctx: BmcContext, payload: Buffer): Buffer | undefined {
  const r = decodeRakp1(payload);
  if (!r) return drop(ctx, 'malformed RAKP 1');
  const found = setupSession(ctx, r.sidC);
  const reply = (status: number, sidM: number, rest?: Buffer): Buffer =>
    setupDatagram(PayloadType.rakp2, encodeSetupReply(r.tag, status, sidM, rest));
  if (!found) return reply(RmcpStatus.invalidSessionId, 0);
  const { session, state } = found;
  const priv = r.role & 0x0f;
  if (priv < Priv.callback || priv > session.maxPriv) {
    ctx.sessions.delete(session.id);
    return reply(RmcpStatus.invalidRole, state.sidM);
  }
  if (r.username !== ctx.node.credentials.username) {
    ctx.sessions.delete(session.id);
    return reply(RmcpStatus.unauthorizedName, state.sidM);
  }
  state.rakp = { rm: r.rm, rc: randomBytes(16), role: r.role };
  session.username = r.username;
  session.maxPriv = priv;
  ctx.sessions.touch(session);
  const params = rakpParams(ctx, session, state)!;
  return reply(RmcpStatus.ok, state.sidM, Buffer.concat([params.rc, ctx.guid, rakp2AuthCode(state.suite, params)]));
}

/** RAKP 3: the console proves it knows the password; only then do keys exist and the session become active. */
function rakp3(ctx: BmcContext, payload: Buffer): Buffer | undefined {
  const r = decodeRakp3(payload);
  if (!r) return drop(ctx, 'malformed RAKP 3');
  const found = setupSession(ctx, r.sidC);
  const params = found && rakpParams(ctx, found.session, found.state);
  const reply = (status: number, sidM: number, rest?: Buffer): Buffer =>
    setupDatagram(PayloadType.rakp4, encodeSetupReply(r.tag, status, sidM, rest));
  if (!found || !params) return reply(RmcpStatus.invalidSessionId, 0);
  const { session, state } = found;
  if (r.status !== RmcpStatus.ok || !safeEqual(r.authCode, rakp3AuthCode(state.suite, params))) {
    ctx.sessions.delete(session.id);
    ctx.log.debug({ node: ctx.node.name, status: r.status }, 'ipmi RAKP 3 refused (wrong password?)');
    return reply(r.status !== RmcpStatus.ok ? r.status : RmcpStatus.invalidIntegrityCheck, state.sidM);
  }
  // Handshakes are not bounded by the active limit (see session-table.ts): check it when one completes.
  if (!ctx.sessions.hasActiveRoom()) {
    ctx.sessions.delete(session.id);
    return reply(RmcpStatus.insufficientResources, state.sidM);
  }
  const keys = deriveSessionKeys(state.suite, params);
  session.state = { kind: 'v20', suite: state.suite, sidM: state.sidM, keys, window: new SeqWindow(0), outSeq: 1 };
  session.priv = Math.min(session.maxPriv, Priv.user);
  ctx.sessions.touch(session);
  ctx.log.debug({ node: ctx.node.name, session: session.id, suite: state.suite.id }, 'ipmi RMCP+ session activated');
  return reply(RmcpStatus.ok, state.sidM, rakp4Icv(state.suite, keys.sik, params));
}

/** An active-session payload: integrity, then replay window, then decryption, then the command. */
async function inSession(ctx: BmcContext, datagram: Buffer, frame: V20Frame): Promise<Buffer | undefined> {
  const session = ctx.sessions.get(frame.sessionId);
  const state = session?.state;
  if (!session || state?.kind !== 'v20') return drop(ctx, 'unknown RMCP+ session');
  if (!frame.authenticated || !frame.encrypted) return drop(ctx, 'unprotected payload in a protected session');
  if (!integrityValid(datagram, frame, state.suite, state.keys.k1)) return drop(ctx, 'bad integrity AuthCode');
  if (!state.window.check(frame.seq)) return drop(ctx, 'RMCP+ sequence number outside window (replay?)');
  state.window.accept(frame.seq);
  const msg = decryptPayload(state.keys.aesKey, frame.payload);
  const req = msg && decodeRequest(msg);
  if (!msg || !req) return drop(ctx, 'undecryptable payload or malformed IPMI message');
  ctx.sessions.touch(session);
  const reply = await answerInSession(ctx, session, req, msg);
  if (!reply) return undefined;
  const seq = state.outSeq;
  state.outSeq = (seq + 1) >>> 0 || 1;
  const payload = encryptPayload(state.keys.aesKey, reply.msg);
  const out = encodeV20({ payloadType: PayloadType.ipmi, encrypted: true, sessionId: state.sidM, seq, payload }, { suite: state.suite, k1: state.keys.k1 });
  if (reply.closeSessionId !== undefined) ctx.sessions.delete(reply.closeSessionId);
  return out;
}

function sessionless(ctx: BmcContext, frame: V20Frame): Buffer | undefined {
  if (frame.encrypted || frame.authenticated) return drop(ctx, 'protected payload without a session');
  const req = decodeRequest(frame.payload);
  if (!req) return drop(ctx, 'malformed IPMI message');
  const result = handleSessionless(ctx, req, 'v20');
  return setupDatagram(PayloadType.ipmi, encodeResponse(req, result.cc, result.data));
}

/** Handles one RMCP+-framed datagram. */
export async function handleRmcpPlus(ctx: BmcContext, datagram: Buffer): Promise<Buffer | undefined> {
  const frame = decodeV20(datagram);
  if (!frame) return drop(ctx, 'malformed RMCP+ frame');
  switch (frame.payloadType) {
    case PayloadType.ipmi:
      return frame.sessionId === 0 ? sessionless(ctx, frame) : inSession(ctx, datagram, frame);
    case PayloadType.openSessionRequest:
      return openSession(ctx, frame.payload);
    case PayloadType.rakp1:
      return rakp1(ctx, frame.payload);
    case PayloadType.rakp3:
      return rakp3(ctx, frame.payload);
    default:
      return drop(ctx, `unsupported payload type 0x${frame.payloadType.toString(16)}`);
  }
}
