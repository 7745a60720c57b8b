/**
 * `buildOpenStackApp`: Keystone v3, Nova v2.1, Glance v2 and a minimal Neutron v2.0 in one fastify app, laid out
 * as devstack does (`/identity`, `/compute/v2.1`, `/image`, `/networking`), over a `NovaControl` world. Real, unmodified clients
 * (`openstack`, `nova`, the fence agents) talk to it; see INTEROP.md for verified command lines.
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { ApiDeps } from './context.js';
import { ApiFault, classifyError, errorBody, NeutronFault, notJsonBody, UNAUTHORIZED_MESSAGE, type ApiArea } from './faults.js';
import { registerGlanceRoutes } from './glance-routes.js';
import { IdentityStore } from './identity-store.js';
import { registerKeystoneRoutes } from './keystone-routes.js';
import { createRequestMetrics, type RequestMetrics } from './metrics.js';
import { registerNeutronRoutes } from './neutron-routes.js';
import { registerNovaRoutes } from './nova-routes.js';
import { DEFAULT_IDENTITY, PREFIX, serviceUrls, type OpenStackAppOptions } from './options.js';
import { nowEpochMs } from './time-format.js';

/** Nova's default `max_request_body_size` (oslo.middleware sizelimit): 112 KiB. */
export const MAX_BODY_BYTES = 114_688;

const HOUR_MS = 3_600_000;

function areaOf(url: string): ApiArea {
  if (url.startsWith(PREFIX.identity)) return 'identity';
  if (url.startsWith(PREFIX.image)) return 'image';
  if (url.startsWith(PREFIX.network)) return 'network';
  return 'compute';
}

function validateOptions(opts: OpenStackAppOptions): void {
  if (!/^https?:\/\/[^/]+/.test(opts.publicUrl)) throw new TypeError(`publicUrl must be an http(s) URL, got ${JSON.stringify(opts.publicUrl)}`);
  if (opts.tokenTtlMs !== undefined && !(opts.tokenTtlMs > 0)) throw new TypeError(`tokenTtlMs must be > 0, got ${opts.tokenTtlMs}`);
}

function sendError(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const classified = classifyError(err);
  const contentType = request.headers['content-type'] ?? '';
  const { status, message } = classified.status === 415 ? notJsonBody(areaOf(request.url), contentType) : classified;
  if (status >= 500) request.log.error({ err }, 'openstack api: internal error');
  if (status === 401) reply.header('WWW-Authenticate', `Keystone uri="${request.protocol}://${request.host}${PREFIX.identity}"`);
  const neutronType = err instanceof NeutronFault ? err.type : undefined;
  return reply.code(status).type('application/json').send(errorBody(areaOf(request.url), status, message, neutronType));
}

/** Unknown URLs under an authenticated prefix answer 401 first, as keystonemiddleware sits in front of Nova and Glance. */
function notFound(deps: ApiDeps, request: FastifyRequest): ApiFault {
  const protectedPath = /^\/(compute\/v2\.1|image\/v2|networking\/v2\.0)\/./.test(request.url);
  const header = request.headers['x-auth-token'];
  if (protectedPath && !deps.identity.validate(typeof header === 'string' ? header : undefined)) {
    return new ApiFault(401, UNAUTHORIZED_MESSAGE);
  }
  return new ApiFault(404, 'The resource could not be found.');
}

function installHandlers(app: FastifyInstance, deps: ApiDeps, metrics: RequestMetrics): void {
  // Only JSON bodies: Nova answers 415 for other content types (fastify would parse text/plain).
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler((err: FastifyError, request, reply) => sendError(request, reply, err));
  app.setNotFoundHandler((request, reply) => sendError(request, reply, notFound(deps, request)));
  app.addHook('onResponse', async (request, reply) => {
    metrics.record(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode);
  });
}

/** Build the app (not listening). Call `app.listen({ host: '127.0.0.1', port })` or use `app.inject()`. */
export function buildOpenStackApp(opts: OpenStackAppOptions): FastifyInstance {
  validateOptions(opts);
  const urls = serviceUrls(opts.publicUrl);
  const tokenClock = opts.wallClock ?? (() => nowEpochMs(opts.clock));
  const identity = new IdentityStore(opts.identity ?? DEFAULT_IDENTITY, tokenClock, opts.tokenTtlMs ?? HOUR_MS);
  const deps: ApiDeps = Object.freeze({ nova: opts.nova, clock: opts.clock, identity, urls });
  const app = (opts.logger ? Fastify({ loggerInstance: opts.logger, bodyLimit: MAX_BODY_BYTES }) : Fastify({ logger: false, bodyLimit: MAX_BODY_BYTES })) as unknown as FastifyInstance;
  installHandlers(app, deps, opts.metrics ?? createRequestMetrics());
  registerKeystoneRoutes(app, deps);
  registerNovaRoutes(app, deps);
  registerGlanceRoutes(app, deps);
  registerNeutronRoutes(app, deps);
  return app;
}
