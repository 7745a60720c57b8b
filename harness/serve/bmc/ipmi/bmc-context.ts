/**
 * What the protocol handlers of one simulated BMC share: the node it fronts, the world behind it, its
 * sessions, and its fixed identity (GUID, advertised cipher suites).
 */
import type { Logger } from 'pino';
import type { BmcBackend, BmcNode } from '../backend.js';
import type { SessionTable } from './session-table.js';

export interface BmcContext {
  node: BmcNode;
  backend: BmcBackend;
  sessions: SessionTable;
  /** Cipher suite IDs listed by Get Channel Cipher Suites and accepted by Open Session, in preference order. */
  cipherSuites: readonly number[];
  /** GUIDc of RAKP 2/4: any 16 bytes, constant for the life of the BMC. */
  guid: Buffer;
  log: Logger;
  /**
   * Where the datagram being handled came from (`address:port`), set per datagram: sessions in setup are
   * bounded per source, so one peer's flood of Open Session requests cannot evict another peer's login.
   */
  source?: string;
}

/** A command's outcome: completion code, response data, and a session to close once the answer is sent. */
export interface CommandResult {
  cc: number;
  data?: Buffer;
  closeSessionId?: number;
}

/** Whether the node's BMC is `broken` right now: it still talks, but every command fails with 0xFF. */
export function isBroken(ctx: BmcContext): boolean {
  return ctx.backend.reachability(ctx.node.name) === 'broken';
}
