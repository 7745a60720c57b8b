/**
 * The sessions of one BMC, keyed by the BMC-assigned session ID (never by client address: UDP source ports are
 * reused and parallel fence runs come from the same host). Holds sessions in setup and active ones, bounds
 * their number, and expires idle ones (a killed client never sends Close Session).
 */
import { randomBytes } from 'node:crypto';
import { Priv } from './constants.js';
import type { CipherSuite } from './cipher-suites.js';
import type { SessionKeys } from './lanplus-crypto.js';
import type { SeqWindow } from './seq-window.js';

/** v1.5: Get Session Challenge answered, Activate Session expected. */
export interface V15Challenge {
  kind: 'v15-challenge';
  authType: number;
  challenge: Buffer;
}

/** v1.5: activated; every message carries `authType`'s auth code. */
export interface V15Active {
  kind: 'v15';
  authType: number;
  window: SeqWindow;
  outSeq: number;
  /** The Activate Session request and answer, to answer an identical retry without a second activation. */
  activation: { request: Buffer; response: Buffer };
}

/** RMCP+: Open Session answered (rakp === undefined) or RAKP 2 sent, RAKP 3 expected. */
export interface V20Setup {
  kind: 'v20-setup';
  suite: CipherSuite;
  sidM: number;
  rakp?: { rm: Buffer; rc: Buffer; role: number };
}

/** RMCP+: RAKP 4 sent; payloads are authenticated and encrypted with `keys`. */
export interface V20Active {
  kind: 'v20';
  suite: CipherSuite;
  sidM: number;
  keys: SessionKeys;
  window: SeqWindow;
  outSeq: number;
}

export type SessionState = V15Challenge | V15Active | V20Setup | V20Active;

export interface Session {
  /** The BMC-assigned ID (v1.5 session ID; RMCP+ SIDc). */
  id: number;
  username: string;
  /** Highest privilege this session may set (negotiated at activation). */
  maxPriv: number;
  /** Current privilege: sessions start at USER (or lower) and are raised by Set Session Privilege Level. */
  priv: number;
  lastActiveMs: number;
  state: SessionState;
  /** Last request (hex of its message) and its answer once known: a retransmission is answered, never run twice. */
  lastReply?: { key: string; msg?: Buffer };
}

/** Sessions still in setup live at most this long, so half-open handshakes cannot hold slots for a minute. */
const SETUP_TIMEOUT_MS_MAX = 10_000;
const USER_PRIV = Priv.user;

export class SessionTable {
  private readonly sessions = new Map<number, Session>();

  constructor(
    private readonly maxSessions: number,
    private readonly idleTimeoutMs: number,
    private readonly now: () => number,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  get(id: number): Session | undefined {
    return this.sessions.get(id >>> 0);
  }

  delete(id: number): boolean {
    return this.sessions.delete(id >>> 0);
  }

  /** Active (fully authenticated) sessions, for tests and metrics. */
  activeCount(): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s.state.kind === 'v15' || s.state.kind === 'v20') n++;
    return n;
  }

  /**
   * Creates a session with a fresh random non-zero ID; undefined when every slot is taken by a session that is
   * already active (a session still in setup is evicted first, oldest first).
   */
  create(username: string, maxPriv: number, state: SessionState): Session | undefined {
    this.sweep();
    if (this.sessions.size >= this.maxSessions && !this.evictOldestSetup()) return undefined;
    let id = 0;
    while (id === 0 || this.sessions.has(id)) id = randomBytes(4).readUInt32LE(0);
    // Per the spec a session starts at USER level (or its max, if lower) until Set Session Privilege Level.
    const priv = Math.min(maxPriv, USER_PRIV);
    const session: Session = { id, username, maxPriv, priv, lastActiveMs: this.now(), state };
    this.sessions.set(id, session);
    return session;
  }

  touch(session: Session): void {
    session.lastActiveMs = this.now();
  }

  /** Drops sessions idle for longer than their timeout. */
  sweep(): void {
    const now = this.now();
    const setupTimeout = Math.min(this.idleTimeoutMs, SETUP_TIMEOUT_MS_MAX);
    for (const [id, s] of this.sessions) {
      const inSetup = s.state.kind === 'v15-challenge' || s.state.kind === 'v20-setup';
      if (now - s.lastActiveMs > (inSetup ? setupTimeout : this.idleTimeoutMs)) this.sessions.delete(id);
    }
  }

  private evictOldestSetup(): boolean {
    let oldest: Session | undefined;
    for (const s of this.sessions.values()) {
      const inSetup = s.state.kind === 'v15-challenge' || s.state.kind === 'v20-setup';
      if (inSetup && (!oldest || s.lastActiveMs < oldest.lastActiveMs)) oldest = s;
    }
    return oldest ? this.sessions.delete(oldest.id) : false;
  }
}
