/**
 * A minimal IPMI v2.0 RMCP+ (lanplus) console: opens a session (cipher suite 3 or 17) the way ipmitool does,
 * sends commands, and exposes the raw datagrams so property tests can replay, corrupt and truncate them.
 * `ihasim inject` drives real BMCs with it (power status, power off/on); the tests of the served BMC use it too
 * (test/support/ipmi-test-client.ts). Built on the server's own codecs; the interop tests with the real ipmitool
 * are what catch mistakes the two sides would share.
 */
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { CIPHER_SUITES, type CipherSuite } from '../serve/bmc/ipmi/cipher-suites.js';
import { AppCmd, NetFn, PayloadType } from '../serve/bmc/ipmi/constants.js';
import { decodeResponse, encodeRequest, type IpmiResponse } from '../serve/bmc/ipmi/ipmi-message.js';
import {
  decryptPayload,
  deriveSessionKeys,
  encryptPayload,
  rakp2AuthCode,
  rakp3AuthCode,
  safeEqual,
  type RakpParams,
  type SessionKeys,
} from '../serve/bmc/ipmi/lanplus-crypto.js';
import {
  decodeSetupReply,
  encodeOpenSessionRequest,
  encodeRakp1,
  encodeRakp3,
} from '../serve/bmc/ipmi/rakp-messages.js';
import { decodeV20, encodeV20 } from '../serve/bmc/ipmi/v20-frame.js';

export interface LanplusOptions {
  port: number;
  host?: string;
  username: string;
  password: string;
  suite?: 3 | 17;
  /** How long to wait for each answer, in ms. */
  timeoutMs?: number;
  /** Sends of each session setup message before giving up (default 1: tests look at single datagrams). */
  setupAttempts?: number;
}

/** ipmitool's fixed console session ID. */
const SID_M = 0xa0a2a3a4;

export class LanplusClient {
  readonly suite: CipherSuite;
  private readonly socket: Socket;
  private readonly inbox: Buffer[] = [];
  private waiter: (() => void) | undefined;
  private seq = 0;
  private rqSeq = 0;
  sidC = 0;
  keys: SessionKeys | undefined;

  constructor(private readonly opts: LanplusOptions) {
    this.suite = CIPHER_SUITES.get(opts.suite ?? 3)!;
    this.socket = createSocket(isIPv6(opts.host ?? '') ? 'udp6' : 'udp4');
    this.socket.on('message', (m) => {
      this.inbox.push(m);
      this.waiter?.();
    });
  }

  /** Sends a datagram and resolves with the next one received, or undefined after the timeout. */
  async sendRaw(datagram: Buffer, timeoutMs = this.opts.timeoutMs ?? 300): Promise<Buffer | undefined> {
    this.inbox.length = 0;
    this.socket.send(datagram, this.opts.port, this.opts.host ?? '127.0.0.1');
    if (this.inbox.length === 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, timeoutMs);
        this.waiter = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    return this.inbox.shift();
  }

  private async setup(payloadType: number, payload: Buffer): Promise<{ status: number; rest: Buffer }> {
    const datagram = encodeV20({ payloadType, encrypted: false, sessionId: 0, seq: 0, payload });
    let reply = await this.sendRaw(datagram);
    // A lost datagram on a real network: retry setup messages too (ipmitool retries each of them).
    for (let retry = 1; reply === undefined && retry < (this.opts.setupAttempts ?? 1); retry++) reply = await this.sendRaw(datagram);
    const frame = reply && decodeV20(reply);
    const body = frame && decodeSetupReply(frame.payload);
    if (!body) throw new Error(`no answer to setup payload 0x${payloadType.toString(16)}`);
    return { status: body.status, rest: body.rest };
  }

  /** Open Session + RAKP 1–4. Throws with the RMCP+ status on refusal; verifies the BMC's RAKP 2 code. */
  async open(): Promise<void> {
    const s = this.suite;
    const open = await this.setup(PayloadType.openSessionRequest, encodeOpenSessionRequest({ tag: 0, maxPriv: 0, sidM: SID_M, authAlg: s.authAlg, integrityAlg: s.integrityAlg, confAlg: s.confAlg }));
    if (open.status !== 0) throw new Error(`open session status 0x${open.status.toString(16)}`);
    this.sidC = open.rest.readUInt32LE(0);
    const rm = randomBytes(16);
    const username = this.opts.username;
    const r2 = await this.setup(PayloadType.rakp1, encodeRakp1({ tag: 0, sidC: this.sidC, rm, role: 0x14, username }));
    if (r2.status !== 0) throw new Error(`rakp2 status 0x${r2.status.toString(16)}`);
    const p: RakpParams = { password: this.opts.password, sidM: SID_M, sidC: this.sidC, rm, rc: r2.rest.subarray(0, 16), guid: r2.rest.subarray(16, 32), role: 0x14, username };
    const passwordOk = safeEqual(r2.rest.subarray(32), rakp2AuthCode(s, p));
    // Like ipmitool: a mismatching RAKP 2 code means a wrong password; tell the BMC with status 0x0F.
    const rakp3 = passwordOk ? { tag: 0, status: 0, sidC: this.sidC, authCode: rakp3AuthCode(s, p) } : { tag: 0, status: 0x0f, sidC: this.sidC, authCode: Buffer.alloc(0) };
    const r4 = await this.setup(PayloadType.rakp3, encodeRakp3(rakp3));
    if (!passwordOk) throw new Error('rakp2 HMAC invalid (wrong password)');
    if (r4.status !== 0) throw new Error(`rakp4 status 0x${r4.status.toString(16)}`);
    this.keys = deriveSessionKeys(s, p);
  }

  /**
   * The datagram of an in-session request, without sending it. `seq` overrides the next session sequence
   * number; `retry` reuses the previous rqSeq, as ipmitool does when it retransmits a request.
   */
  commandDatagram(netFn: number, cmd: number, data: Buffer = Buffer.alloc(0), opts: { seq?: number; retry?: boolean } = {}): Buffer {
    if (!this.keys) throw new Error('session not open');
    if (!opts.retry) this.rqSeq = (this.rqSeq % 63) + 1;
    const seq = opts.seq;
    const msg = encodeRequest(netFn, cmd, this.rqSeq, data);
    const payload = encryptPayload(this.keys.aesKey, msg);
    // ipmitool's counter also counts the pre-session messages, so its first in-session number is about 5.
    const s = seq ?? (this.seq = this.seq === 0 ? 5 : this.seq + 1);
    return encodeV20({ payloadType: PayloadType.ipmi, encrypted: true, sessionId: this.sidC, seq: s, payload }, { suite: this.suite, k1: this.keys.k1 });
  }

  /** Decodes an in-session answer; undefined if it is not one for this session. */
  decodeAnswer(datagram: Buffer | undefined): IpmiResponse | undefined {
    const frame = datagram && decodeV20(datagram);
    if (!frame || !this.keys || frame.sessionId !== SID_M || frame.payloadType !== PayloadType.ipmi) return undefined;
    const msg = decryptPayload(this.keys.aesKey, frame.payload);
    return msg && decodeResponse(msg);
  }

  async command(netFn: number, cmd: number, data?: Buffer): Promise<IpmiResponse | undefined> {
    return this.decodeAnswer(await this.sendRaw(this.commandDatagram(netFn, cmd, data)));
  }

  /**
   * A command with retransmits, as ipmitool retries: the same rqSeq each time (so the BMC answers a duplicate
   * Chassis Control from its cache rather than running it twice), a new session sequence number. Answers to
   * another request (a late one) are skipped.
   */
  async request(netFn: number, cmd: number, data?: Buffer, attempts = 4): Promise<IpmiResponse> {
    for (let attempt = 0; attempt < attempts; attempt++) {
      const answer = this.decodeAnswer(await this.sendRaw(this.commandDatagram(netFn, cmd, data, { retry: attempt > 0 })));
      if (answer && answer.cmd === cmd && answer.rqSeq === this.rqSeq) return answer;
    }
    throw new Error(`no answer from the BMC at ${this.opts.host ?? '127.0.0.1'}:${this.opts.port} after ${attempts} tries (netFn 0x${netFn.toString(16)} cmd 0x${cmd.toString(16)})`);
  }

  /** Set Session Privilege Level (ipmitool's `-L`, ADMINISTRATOR by default): a session starts at USER. */
  async setPrivilege(level: number): Promise<void> {
    const r = await this.request(NetFn.app, AppCmd.setSessionPrivilege, Buffer.from([level]));
    if (r.cc !== 0) throw new Error(`Set Session Privilege Level ${level} refused (completion code 0x${r.cc.toString(16)})`);
  }

  /** Close Session (best effort: a BMC holds few sessions, so a polite console frees its own). */
  async closeSession(): Promise<void> {
    if (!this.keys) return;
    const id = Buffer.alloc(4);
    id.writeUInt32LE(this.sidC);
    await this.request(NetFn.app, AppCmd.closeSession, id, 1).catch(() => undefined);
    this.keys = undefined;
  }

  close(): void {
    this.socket.close();
  }
}
