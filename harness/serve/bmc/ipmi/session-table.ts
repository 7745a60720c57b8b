/**
 * The sessions of one BMC, keyed by the BMC-assigned session ID (never by client address: UDP source ports are
 * reused and parallel fence runs come from the same host). Holds sessions in setup and active ones, bounds
 * their number, and expires idle ones (a killed client never sends Close Session).
 *
 * Sessions in setup (Open Session / Get Session Challenge answered, not yet authenticated) cost a stranger
 * one unauthenticated datagram each, so they are kept apart from active ones and bounded per source
 * (`address:port`): a source holds at most {@link MAX_SETUP_PER_SOURCE} (its next one evicts its own oldest),
 * the BMC at most `maxSessions` × 2 (when full, the oldest of the source holding the most is evicted).
 * A flood from one source thus only ever evicts its own handshakes, and an active session is never evicted:
 * it ends by Close Session or by idling out.
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
  /** Who opened it (`address:port`), for the per-source bound of sessions in setup. */
  source: string;
}

/** Sessions still in setup live at most this long, so half-open handshakes cannot hold slots for a minute. */
const SETUP_TIMEOUT_MS_MAX = 10_000;
const USER_PRIV = Priv.user;
/**
 * Handshakes in flight from one source. ipmitool and fence_ipmilan run one at a time per socket (plus
 * retransmissions, which reuse the session), so 4 is generous for a legitimate client.
 */
export const MAX_SETUP_PER_SOURCE = 4;

const inSetup = (s: Session): boolean => s.state.kind === 'v15-challenge' || s.state.kind === 'v20-setup';

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
   * Creates a session in setup for `source` with a fresh random non-zero ID; undefined when every slot is taken
   * by an active session. Makes room among sessions in setup as the class comment says, never among active ones.
   */
  create(username: string, maxPriv: number, state: SessionState, source = 'unknown'): Session | undefined {
    this.sweep();
    if (!this.hasActiveRoom()) return undefined;
    this.makeSetupRoom(source);
    let id = 0;
    while (id === 0 || this.sessions.has(id)) id = randomBytes(4).readUInt32LE(0);
    // Per the spec a session starts at USER level (or its max, if lower) until Set Session Privilege Level.
    const priv = Math.min(maxPriv, USER_PRIV);
    const session: Session = { id, username, maxPriv, priv, lastActiveMs: this.now(), state, source };
    this.sessions.set(id, session);
    return session;
  }

  /** Sessions in setup, by source. */
  private setupBySource(): Map<string, Session[]> {
    const out = new Map<string, Session[]>();
    for (const s of this.sessions.values()) {
      if (!inSetup(s)) continue;
      const list = out.get(s.source);
      if (list) list.push(s);
      else out.set(s.source, [s]);
    }
    return out;
  }

  /** Evict sessions in setup so that one more from `source` fits both bounds. */
  private makeSetupRoom(source: string): void {
    const bySource = this.setupBySource();
    const own = bySource.get(source) ?? [];
    if (own.length >= MAX_SETUP_PER_SOURCE) {
      this.deleteOldest(own);
      return;
    }
    let total = 0;
    for (const list of bySource.values()) total += list.length;
    if (total < this.maxSessions * 2) return;
    let heaviest: Session[] = [];
    for (const list of bySource.values()) if (list.length > heaviest.length) heaviest = list;
    this.deleteOldest(heaviest);
  }

  private deleteOldest(list: readonly Session[]): void {
    let oldest: Session | undefined;
    for (const s of list) if (!oldest || s.lastActiveMs < oldest.lastActiveMs) oldest = s;
    if (oldest) this.sessions.delete(oldest.id);
  }

  /** Whether one more session may become active (sessions in setup do not count against this). */
  hasActiveRoom(): boolean {
    return this.activeCount() < this.maxSessions;
  }

  touch(session: Session): void {
    session.lastActiveMs = this.now();
  }

  /** Drops sessions idle for longer than their timeout. */
  sweep(): void {
    const now = this.now();
    const setupTimeout = Math.min(this.idleTimeoutMs, SETUP_TIMEOUT_MS_MAX);
    for (const [id, s] of this.sessions) {
      if (now - s.lastActiveMs > (inSetup(s) ? setupTimeout : this.idleTimeoutMs)) this.sessions.delete(id);
    }
  }
}
