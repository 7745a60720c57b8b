/**
 * The control API of `ihasim serve`, a fastify plugin registered under `/ihasim/v1` on the same port as the
 * OpenStack APIs: inject and heal faults, read the truth, Nova's view beside it, violations, the run report,
 * the trace as Server-Sent Events, the endpoints (with the computes' SSH ports), the canary heartbeat counters
 * (`GET /canaries`), Prometheus metrics, and Pacemaker's attrd (for the
 * `attrd_updater` stand-in that fence_compute runs).
 *
 * Auth: none by default (serve binds loopback). With `token` set, every request must carry
 * `Authorization: Bearer <token>` or `X-Ihasim-Token: <token>`, else 401. Whatever the token, the Host header
 * must name this server (the bound address or a loopback name, with its port), else 403: a web page cannot
 * reach the control API through DNS rebinding. JSON bodies nesting deeper than {@link MAX_BODY_DEPTH} get 400.
 */
import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES, IhasimError, isIhasimError } from '../errors.js';
import { registerAttrdRoutes } from './attrd-routes.js';
import { allowedHostNames, hostHeaderAllowed, MAX_BODY_DEPTH, nestsDeeperThan } from './request-guards.js';
import { EventStreams, registerEventStream, type EventStreamLimits } from './event-stream.js';
import { metricsText, PROMETHEUS_CONTENT_TYPE } from './prometheus.js';
import type { ServeSession } from './serve-session.js';
import { instancesView, truthView } from './world-views.js';
import { dashboardHtml } from './dashboard/page.js';
import type { CanaryEmitter } from './canary/canary-emitter.js';

/** Where the control API lives on the serve port. */
export const CONTROL_PREFIX = '/ihasim/v1';

export interface ControlApiOptions {
  session: ServeSession;
  /** What `GET /endpoints` answers (known once every server listens). */
  endpoints: () => unknown;
  /** Static token required on every request; absent: no auth. */
  token?: string;
  /** The address the server is bound to (for the Host-header check); default 127.0.0.1. */
  boundHost?: string;
  /** The canary heartbeats (`GET /canaries`); absent: the route answers none. */
  canary?: CanaryEmitter;
  /** Limits of `GET /events` (defaults: 64 clients, 1 MiB unread per client). */
  eventStreams?: EventStreamLimits;
}

/** The error body of the control API: `{error: {code, message, details}}`. */
function sendError(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  if (isIhasimError(err)) {
    return reply.code(ERROR_CODES[err.code].status).send({ error: { code: err.code, message: err.message, details: err.details } });
  }
  const fe = err as FastifyError;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return reply.code(fe.statusCode).send({ error: { code: 'IHASIM_USAGE', message: fe.message, details: [] } });
  }
  request.log.error({ err }, 'control api: internal error');
  return reply.code(500).send({ error: { code: 'IHASIM_INTERNAL', message: err instanceof Error ? err.message : String(err), details: [] } });
}

function checkToken(token: string | undefined) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    // The dashboard page holds no data; its script sends the token on every API call.
    if (token === undefined || request.url === `${CONTROL_PREFIX}/dashboard`) return;
    const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const header = request.headers['x-ihasim-token'];
    if (bearer === token || header === token) return;
    await reply.code(401).send({ error: { code: 'IHASIM_USAGE', message: 'missing or wrong control token (Authorization: Bearer <token>)', details: [] } });
  };
}

/** 403 unless the Host header names this server (see request-guards.ts `allowedHostNames`). */
function checkHost(boundHost: string) {
  const allowed = allowedHostNames(boundHost);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const header = request.headers.host;
    if (hostHeaderAllowed(header, allowed, request.socket.localPort)) return;
    await reply.code(403).send({ error: {
      code: 'IHASIM_USAGE',
      message: `Host header '${String(header ?? '').slice(0, 100)}' does not name this server (expected ${[...allowed].slice(0, 4).join(', ')}… with port ${request.socket.localPort}): the control API refuses other host names so that a web page cannot reach it by DNS rebinding`,
      details: [],
    } });
  };
}

/** 400 for a JSON body nested deeper than any control API body needs (before any validator recurses into it). */
async function checkBodyDepth(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (nestsDeeperThan(request.body, MAX_BODY_DEPTH)) {
    await reply.code(400).send({ error: { code: 'IHASIM_USAGE', message: `the JSON body nests deeper than ${MAX_BODY_DEPTH} levels; no control API body needs more than 4`, details: [] } });
  }
}

const HEAL_USAGE = 'the body must be a JSON object: {"id": <fault id>} undoes one fault, {"network": "mgmt"} heals one network, {} heals every network';

/** The body of `POST /faults/heal`, checked: an object with `id` or `network` or neither (heal all), nothing else. */
function parseHealBody(body: unknown): { id?: number; network?: string } {
  if (body === null || body === undefined || typeof body !== 'object' || Array.isArray(body)) throw new IhasimError('IHASIM_USAGE', HEAL_USAGE);
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => k !== 'id' && k !== 'network');
  if (unknown.length > 0) throw new IhasimError('IHASIM_USAGE', `unknown key(s) ${unknown.slice(0, 5).map((k) => `\`${k.slice(0, 40)}\``).join(', ')}: ${HEAL_USAGE}`);
  const { id, network } = b;
  if (id !== undefined && network !== undefined) throw new IhasimError('IHASIM_USAGE', `give \`id\` or \`network\`, not both: ${HEAL_USAGE}`);
  if (id !== undefined && !Number.isInteger(id)) throw new IhasimError('IHASIM_USAGE', '`id` must be the integer id POST /faults returned');
  if (network !== undefined && typeof network !== 'string') throw new IhasimError('IHASIM_USAGE', '`network` must be mgmt, ipmi, storage or tenant');
  return { ...(id !== undefined ? { id: id as number } : {}), ...(network !== undefined ? { network: network as string } : {}) };
}

/** Faults: inject (201 with the resolved targets), list, heal or undo. Refused (409) once the world froze. */
function registerFaultRoutes(app: FastifyInstance, session: ServeSession): void {
  app.post('/faults', async (request, reply) => {
    if (session.driver.frozen !== null) {
      return reply.code(409).send({ error: { code: 'IHASIM_USAGE', message: `the world is frozen (${session.driver.frozen}) at ${session.world.kernel.now} ms: no more faults`, details: [] } });
    }
    const fault = session.faults.inject(session.faults.parse(request.body), request.body);
    return reply.code(201).send({ fault });
  });
  app.get('/faults', async () => ({ faults: session.faults.injected }));
  app.post('/faults/heal', async (request) => session.faults.heal(parseHealBody(request.body)));
}

/** Read-only views of the world. */
function registerViews(app: FastifyInstance, opts: ControlApiOptions, streams: EventStreams): void {
  const { session } = opts;
  app.get('/status', async () => ({
    eventStreams: { clients: streams.clientCount, slowDisconnects: streams.slowDisconnects, refused: streams.refused },
    atMs: session.world.kernel.now, speed: session.driver.speed, durationMs: session.driver.durationMs, epochMs: session.driver.epochMs,
    frozen: session.driver.frozen, seed: session.seed, scenario: session.spec.name, policy: session.spec.recovery.policy,
    kernelErrors: { total: session.driver.errorTotal, first: session.driver.errors },
  }));
  app.get('/truth', async () => truthView(session.world));
  app.get('/instances', async (request) => {
    const host = (request.query as Record<string, unknown>)['host'];
    return instancesView(session.world, typeof host === 'string' ? host : undefined);
  });
  app.get('/violations', async () => ({ atMs: session.world.kernel.now, violations: session.safety.violations }));
  app.get('/report', async () => session.report());
  app.get('/endpoints', async () => opts.endpoints());
  app.get('/canaries', async () => ({ atMs: session.world.kernel.now, canaries: opts.canary?.canaries ?? 0, ...(opts.canary?.stats ?? { sent: 0, failed: 0, skipped: 0, invalidCollectors: [] }) }));
  app.get('/dashboard', async (_request, reply) => reply.type('text/html; charset=utf-8').send(dashboardHtml(session.spec.name)));
  app.get('/metrics', async (_request, reply) => reply.type(PROMETHEUS_CONTENT_TYPE).send(metricsText(session)));
}

/** The plugin. Register with `app.register(controlApi, { prefix: CONTROL_PREFIX, session, endpoints })`. */
export const controlApi: FastifyPluginAsync<ControlApiOptions> = async (app, opts) => {
  app.setErrorHandler((err, request, reply) => sendError(request, reply, err));
  app.addHook('onRequest', checkHost(opts.boundHost ?? '127.0.0.1'));
  app.addHook('onRequest', checkToken(opts.token));
  app.addHook('preValidation', checkBodyDepth);
  // Every request sees the world at the current sim time.
  app.addHook('onRequest', async () => {
    opts.session.advance();
  });
  registerFaultRoutes(app, opts.session);
  const streams = new EventStreams(opts.session, opts.eventStreams);
  registerViews(app, opts, streams);
  registerAttrdRoutes(app, opts.session);
  registerEventStream(app, streams);
};
