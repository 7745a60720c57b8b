/**
 * `startIpmiServer`: one UDP socket per IPMI-enabled node of a `BmcBackend`, speaking IPMI v1.5 and v2.0/RMCP+
 * so that unmodified `ipmitool` and `fence_ipmilan` can drive the simulated world.
 */
import { createHash } from 'node:crypto';
import { pino, type Logger } from 'pino';
import { IhasimError } from '../../../errors.js';
import type { BmcBackend } from '../backend.js';
import { BmcEndpoint } from './bmc-endpoint.js';
import { CIPHER_SUITES, DEFAULT_CIPHER_SUITES } from './cipher-suites.js';
import { SessionTable } from './session-table.js';

export interface IpmiServerOptions {
  backend: BmcBackend;
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** Node i of `backend.nodes()` listens on basePort + i; 0 = an ephemeral port per node. */
  basePort: number;
  /** Cipher suites advertised and accepted, in preference order; subset of [3, 17]; default [3, 17]. */
  cipherSuites?: number[];
  /** Idle time after which a session is forgotten, in ms; default 60 000. */
  sessionTimeoutMs?: number;
  /** Quiet (silent) unless given; protocol detail is logged at debug. */
  logger?: Logger;
}

export interface IpmiServer {
  /** Node name → bound UDP port, for every node with `ipmi: true`. */
  ports: Map<string, number>;
  /** Fully authenticated sessions a node's BMC holds right now (for dashboards and tests). */
  activeSessionCount(node: string): number;
  close(): Promise<void>;
}

/** Concurrent sessions per BMC; real BMCs allow 4–32. */
const MAX_SESSIONS_PER_BMC = 32;
const DEFAULT_SESSION_TIMEOUT_MS = 60_000;
const SWEEP_INTERVAL_MS_MAX = 5_000;

function validate(opts: IpmiServerOptions): { suites: readonly number[]; timeoutMs: number } {
  const bad = (message: string): IhasimError => new IhasimError('IHASIM_USAGE', `startIpmiServer: ${message}`);
  if (!Number.isInteger(opts.basePort) || opts.basePort < 0 || opts.basePort > 65535) throw bad(`basePort must be 0..65535, got ${opts.basePort}`);
  const suites = opts.cipherSuites ?? DEFAULT_CIPHER_SUITES;
  if (suites.length === 0 || suites.some((s) => !CIPHER_SUITES.has(s))) {
    throw bad(`cipherSuites must be a non-empty subset of [${[...CIPHER_SUITES.keys()].join(', ')}], got [${suites.join(', ')}]`);
  }
  const timeoutMs = opts.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
  if (!(timeoutMs > 0)) throw bad(`sessionTimeoutMs must be > 0, got ${timeoutMs}`);
  if (opts.basePort > 0 && opts.basePort + opts.backend.nodes().length - 1 > 65535) throw bad('basePort + node count exceeds 65535');
  return { suites: Object.freeze([...suites]), timeoutMs };
}

/** A GUID derived from the node name: stable across restarts, distinct per node, no randomness needed. */
function guidFor(node: string): Buffer {
  return createHash('sha256').update(`ihasim-bmc:${node}`).digest().subarray(0, 16);
}

/** Starts one BMC endpoint per IPMI-enabled node; rejects (and closes what it opened) if any port is taken. */
export async function startIpmiServer(opts: IpmiServerOptions): Promise<IpmiServer> {
  const { suites, timeoutMs } = validate(opts);
  const host = opts.host ?? '127.0.0.1';
  const log = opts.logger ?? pino({ level: 'silent' });
  const nodes = opts.backend.nodes();
  const opened = await Promise.allSettled(
    nodes.map((node, i) => {
      if (!node.ipmi) return Promise.resolve(undefined);
      const sessions = new SessionTable(MAX_SESSIONS_PER_BMC, timeoutMs, Date.now);
      const ctx = { node, backend: opts.backend, sessions, cipherSuites: suites, guid: guidFor(node.name), log };
      return BmcEndpoint.open(ctx, host, opts.basePort === 0 ? 0 : opts.basePort + i);
    }),
  );
  const endpoints = opened.flatMap((r) => (r.status === 'fulfilled' && r.value ? [r.value] : []));
  const failure = opened.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await Promise.all(endpoints.map((e) => e.close()));
    throw failure.reason;
  }
  // One timer for all BMCs: expiry must not depend on the next datagram arriving.
  const sweep = setInterval(() => endpoints.forEach((e) => e.ctx.sessions.sweep()), Math.min(timeoutMs / 2, SWEEP_INTERVAL_MS_MAX));
  sweep.unref();
  const byName = new Map(endpoints.map((e) => [e.ctx.node.name, e]));
  log.debug({ bmcs: endpoints.length, host }, 'ipmi server listening');
  return {
    ports: new Map(endpoints.map((e) => [e.ctx.node.name, e.port])),
    activeSessionCount: (node) => byName.get(node)?.ctx.sessions.activeCount() ?? 0,
    close: async () => {
      clearInterval(sweep);
      await Promise.all(endpoints.map((e) => e.close()));
    },
  };
}
