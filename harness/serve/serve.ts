/**
 * `startServe`: run a scenario's world in real time behind real protocols. One HTTP port carries Keystone,
 * Nova and Glance (devstack layout, see openstack/INTEROP.md) and the control API (`/ihasim/v1`); one UDP port
 * per compute carries IPMI; one HTTPS port carries Redfish (a System per compute). Tests call it in-process;
 * `ihasim serve` (serve-command.ts) wraps it.
 */
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import type { RunReport } from '../../reports/report-types.js';
import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import type { World } from '../../sim/world.js';
import { startIpmiServer, type IpmiServer } from './bmc/ipmi/index.js';
import { startRedfishServer, type RedfishServer } from './bmc/redfish/index.js';
import { CONTROL_PREFIX, controlApi } from './control-api.js';
import type { EventStreamLimits } from './event-stream.js';
import { buildOpenStackApp } from './openstack/app.js';
import { DEFAULT_IDENTITY, type IdentityConfig, type SimClockView } from './openstack/options.js';
import { ServeSession } from './serve-session.js';
import { withBindErrors } from './bind-errors.js';
import { isLoopback } from './request-guards.js';
import { IhasimError } from '../errors.js';
import { isWorldWrite } from './action-log.js';
import { describeEndpoints, type ServeEndpoints } from './endpoints.js';
import { CanaryEmitter, type CanaryOptions } from './canary/canary-emitter.js';
import { startSshServers, type SshServeOptions, type SshServers } from './ssh/ssh-server.js';
import { freePort } from '../free-port.js';

export type { ServeEndpoints } from './endpoints.js';

export interface ServeOptions {
  spec: ScenarioSpec;
  /** Address every server binds; default 127.0.0.1. */
  host?: string;
  /** OpenStack APIs + control API; 0 (default) picks a free port. */
  port?: number;
  /** IPMI of compute i listens on ipmiBasePort + i; 0 (default): an ephemeral port each. */
  ipmiBasePort?: number;
  /** Redfish HTTPS; 0 (default) picks a free port. */
  redfishPort?: number;
  speed?: number;
  seed?: number;
  /** Static token the control API requires; absent: none. */
  controlToken?: string;
  /**
   * How the OpenStack APIs show times (see CLOCK.md). `wall` (default): the wall-clock moment a simulated event
   * happened, `epoch + simMs / speed`, and tokens last one wall-clock hour; `sim`: `epoch + simMs`, so at
   * `--speed 20` times run ahead of the wall clock (a minute of wall time shows as 20 minutes).
   */
  timestamps?: TimestampMode;
  /** Limits of the control API's `GET /events` (event-stream.ts; defaults 64 clients, 1 MiB unread each). */
  eventStreams?: EventStreamLimits;
  /** Default: silent. */
  logger?: Logger;
  /** One SSH server per compute (ssh/ssh-server.ts); absent: none. */
  ssh?: SshServeOptions;
  /** Heartbeats of the instances whose metadata names a collector (canary/canary-emitter.ts); default every 5 s of sim time. */
  canary?: CanaryOptions;
  /** Catalogued defects injected into the recovery logic and the served BMCs (`--defect`). */
  defects?: readonly string[];
  /** Wall clock and driver period, for tests (see RealtimeOptions). */
  clock?: () => number;
  tickMs?: number;
}

export interface ServeHandle {
  endpoints: ServeEndpoints;
  session: ServeSession;
  /** The SSH servers of the computes, when `ssh` was given. */
  ssh: SshServers | null;
  /** The canary heartbeats the served instances send. */
  canary: CanaryEmitter;
  world: World;
  /** Authenticated IPMI sessions held right now, over every BMC (for dashboards, benchmarks and leak checks). */
  ipmiActiveSessions(): number;
  /** Freeze the world, close every server; resolves with the final report. */
  close(): Promise<RunReport>;
}

/**
 * The served identity: DEFAULT_IDENTITY with project ids equal to project names, because the world's instances
 * carry `projectId` `admin` or `demo` (sim/build-world.ts), and Nova filters servers by the token's project id.
 */
export const SERVE_IDENTITY: IdentityConfig = Object.freeze({
  ...DEFAULT_IDENTITY,
  projects: [{ id: 'admin', name: 'admin' }, { id: 'demo', name: 'demo' }],
});

const HOUR_MS = 3_600_000;

/** How served timestamps relate to the simulated clock (ServeOptions.timestamps). */
export type TimestampMode = 'wall' | 'sim';
export const TIMESTAMP_MODES: readonly TimestampMode[] = ['wall', 'sim'];

/**
 * The clock the OpenStack app shows. Sim time drives every decision (heartbeats, service_down_time); this only
 * chooses how a sim time is printed. Tokens live one wall-clock hour in either mode (see openStackBuilder).
 */
export function apiClock(session: ServeSession, mode: TimestampMode): SimClockView {
  const { epochMs, speed } = session.driver;
  const nowMs = (): number => session.world.kernel.now;
  if (mode === 'sim') return { nowMs, epochMs };
  return { nowMs, epochMs, toEpochMs: (simMs) => epochMs + simMs / speed };
}

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/**
 * The catalog needs the public URL before the app is built, so port 0 is resolved by probing a free port;
 * a race with another process (EADDRINUSE) is retried on a new port.
 */
async function listenOpenStack(build: (publicUrl: string) => FastifyInstance, host: string, port: number): Promise<{ app: FastifyInstance; port: number }> {
  for (let attempt = 0; ; attempt++) {
    const p = port || (await freePort(host));
    const app = build(`http://${urlHost(host)}:${p}`);
    try {
      await app.listen({ host, port: p });
      return { app, port: p };
    } catch (err) {
      await app.close();
      if (port !== 0 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 4) throw err;
    }
  }
}

/** The OpenStack app over the session's world, with the control API on the same port. */
function openStackBuilder(session: ServeSession, opts: ServeOptions, log: Logger, endpoints: () => ServeEndpoints, canary: CanaryEmitter) {
  return (publicUrl: string): FastifyInstance => {
    const app = buildOpenStackApp({
      nova: session.world.nova, publicUrl, identity: SERVE_IDENTITY, metrics: session.requests, logger: log,
      clock: apiClock(session, opts.timestamps ?? 'wall'),
      // Tokens last an hour of wall-clock time whatever the speed or the timestamp mode, and expire even while
      // the world is frozen at the scenario's end.
      wallClock: opts.clock ?? Date.now, tokenTtlMs: HOUR_MS,
    });
    // Every request acts on the world at the current sim time.
    app.addHook('onRequest', async () => {
      session.advance();
    });
    // Writes through the Nova API are not faults: the replay scenario lists them (replay.ts).
    app.addHook('onResponse', async (request, reply) => {
      if (isWorldWrite(request.method, request.url, reply.statusCode, CONTROL_PREFIX)) {
        session.actions.record({ atMs: session.world.kernel.now, via: 'openstack', what: `${request.method} ${request.url.split('?')[0]} (${reply.statusCode})` });
      }
    });
    void app.register(controlApi, { prefix: CONTROL_PREFIX, session, endpoints, canary, boundHost: opts.host ?? '127.0.0.1', ...(opts.eventStreams ? { eventStreams: opts.eventStreams } : {}), ...(opts.controlToken !== undefined ? { token: opts.controlToken } : {}) });
    return app;
  };
}

/**
 * Refuse options that would expose the control API: it injects faults and powers hosts off, so it must not be
 * reachable from the network without a token, and an empty token must not pass for one.
 */
function checkControlExposure(opts: ServeOptions, host: string): void {
  if (opts.controlToken !== undefined && opts.controlToken.trim() === '') {
    throw new IhasimError('IHASIM_USAGE', '--control-token is empty: give a non-empty token, or leave the flag out on a loopback --host');
  }
  if (!isLoopback(host) && opts.controlToken === undefined) {
    throw new IhasimError('IHASIM_USAGE', `--host ${host} is not loopback: give --control-token <secret>, since anyone who reaches the control API can inject faults and power hosts off`);
  }
}

/** Start everything; on any failure, close what was started and rethrow. */
export async function startServe(opts: ServeOptions): Promise<ServeHandle> {
  const host = opts.host ?? '127.0.0.1';
  checkControlExposure(opts, host);
  const log = opts.logger ?? pino({ level: 'silent' });
  const session = new ServeSession(opts.spec, {
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}), ...(opts.speed !== undefined ? { speed: opts.speed } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.tickMs !== undefined ? { tickMs: opts.tickMs } : {}), logger: log,
    ...(opts.defects ? { defects: opts.defects } : {}),
  });
  const closers: (() => Promise<void>)[] = [];
  const canary = new CanaryEmitter(session, opts.canary);
  closers.push(() => canary.close());
  const closeAll = async (): Promise<void> => {
    session.stop();
    await Promise.allSettled(closers.splice(0).reverse().map((c) => c()));
  };
  let endpoints: ServeEndpoints | undefined;
  let ssh: SshServers | null = null;
  let ipmiServer: IpmiServer | undefined;
  try {
    const ipmiBasePort = opts.ipmiBasePort ?? 0;
    const ipmi: IpmiServer = await withBindErrors({ flag: '--ipmi-base-port', port: ipmiBasePort }, host,
      () => startIpmiServer({ backend: session.backend, host, basePort: ipmiBasePort, logger: log }));
    ipmiServer = ipmi;
    closers.push(() => ipmi.close());
    const redfishPort = opts.redfishPort ?? 0;
    const redfish: RedfishServer = await withBindErrors({ flag: '--redfish-port', port: redfishPort }, host,
      () => startRedfishServer({ backend: session.backend, host, port: redfishPort, logger: log }));
    closers.push(() => redfish.close());
    if (opts.ssh) {
      const sshOpts = opts.ssh;
      const servers = await withBindErrors({ flag: '--ssh-port-base', port: sshOpts.basePort }, host, () => startSshServers(session, host, sshOpts, log));
      ssh = servers;
      closers.push(() => servers.close());
    }
    const build = openStackBuilder(session, opts, log, () => endpoints!, canary);
    const openStackPort = opts.port ?? 0;
    const { app, port } = await withBindErrors({ flag: '--port', port: openStackPort }, host, () => listenOpenStack(build, host, openStackPort));
    closers.push(() => app.close());
    endpoints = describeEndpoints(session, { host, port, ipmi, redfish, ssh, region: SERVE_IDENTITY.region ?? 'RegionOne' });
  } catch (err) {
    await closeAll();
    throw err;
  }
  log.info({ endpoints }, 'ihasim serve listening');
  return {
    endpoints, session, world: session.world, ssh, canary,
    ipmiActiveSessions: () => session.world.hostList.reduce((n, h) => n + (ipmiServer?.activeSessionCount(h.name) ?? 0), 0),
    close: async () => {
      await closeAll();
      return session.report();
    },
  };
}
