/**
 * `buildRedfishApp`: the Redfish BMC service as a fastify instance (tests drive it with `inject()`; the HTTPS
 * server in `server.ts` listens with it). One service for all nodes: each Redfish-enabled node is a System
 * `/redfish/v1/Systems/<node name>`, as in sushy-tools.
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { BmcBackend } from '../backend.js';
import type { Principal } from './auth.js';
import { REDFISH_ERRORS, RedfishHttpError, redfishError } from './errors.js';
import { createGuard, unauthorized } from './guard.js';
import { allowedMethods, registerResource, requestPath, resourcePathMatcher, type RedfishContext, type Resource } from './resource.js';
import { sessionResources } from './session-resources.js';
import { SessionStore } from './sessions.js';
import { systemResources } from './system-resources.js';

/** Largest request body accepted, in bytes (a Reset body is ~30 bytes); larger bodies get 413. */
export const REDFISH_BODY_LIMIT_BYTES = 64 * 1024;

export interface RedfishAppOptions {
  backend: BmcBackend;
  /** pino logger for requests and resets; absent or `false`: silent. */
  logger?: Logger | false;
}

/** TLS material for the HTTPS server (PEM). */
export interface RedfishTls {
  key: string;
  cert: string;
}

/** Builds the Redfish app (plain HTTP transport; use `startRedfishServer` for HTTPS). */
export function buildRedfishApp(opts: RedfishAppOptions): FastifyInstance {
  return createRedfishApp(opts);
}

/** fastify options: logger, TLS, body limit, slash-tolerant router, Redfish bodies for pre-routing errors. */
function fastifyOptions(opts: RedfishAppOptions, tls?: RedfishTls) {
  return {
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    ...(tls ? { https: tls } : {}),
    bodyLimit: REDFISH_BODY_LIMIT_BYTES,
    exposeHeadRoutes: false,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 256 },
    // Errors raised before routing (a malformed %-escape in the path) bypass setErrorHandler: answer them here.
    frameworkErrors: (error: FastifyError, request: unknown, reply: unknown) => {
      const mapped = toRedfishError(error, request as FastifyRequest);
      void (reply as FastifyReply).code(mapped.status).header('odata-version', '4.0').send(mapped.body());
    },
  };
}

/** Builds the app, over HTTPS when `tls` is given. */
export function createRedfishApp(opts: RedfishAppOptions, tls?: RedfishTls): FastifyInstance {
  // The HTTPS variant is typed over https.Server; routes, hooks and inject() are the same, hence the cast.
  const app = Fastify(fastifyOptions(opts, tls)) as unknown as FastifyInstance;
  // Redfish bodies are JSON only: without fastify's default text parser, text/plain gets 415.
  app.removeContentTypeParser('text/plain');
  const principals = new WeakMap<FastifyRequest, Principal>();
  const ctx: RedfishContext = {
    backend: opts.backend,
    sessions: new SessionStore(),
    principal: (request) => {
      const principal = principals.get(request);
      if (!principal) throw unauthorized();
      return principal;
    },
  };
  const resources = [...systemResources(), ...sessionResources()];
  const byUrl = new Map(resources.map((r) => [r.url, r]));
  app.addHook('onRequest', createGuard(ctx, (url) => (url === undefined ? undefined : byUrl.get(url)), principals));
  app.addHook('onSend', async (_request, reply) => {
    reply.header('odata-version', '4.0');
  });
  for (const resource of resources) registerResource(app, resource, ctx);
  installErrorHandlers(app, resources);
  return app;
}

function installErrorHandlers(app: FastifyInstance, resources: readonly Resource[]): void {
  const known = resourcePathMatcher(resources);
  app.setNotFoundHandler(async (request) => {
    const resource = known(request.url);
    if (!resource) throw redfishError('resourceMissing', [requestPath(request.url)]);
    const allow = allowedMethods(resource).join(', ');
    throw redfishError('methodNotAllowed', [request.method, requestPath(request.url), allow], { allow });
  });
  app.setErrorHandler(async (error, request, reply) => {
    const mapped = toRedfishError(error, request);
    if (mapped.status >= 500 && mapped.messageId === 'InternalError' && !(error instanceof RedfishHttpError)) {
      request.log.error({ err: error }, 'redfish: internal error');
    }
    return reply.code(mapped.status).headers({ ...mapped.headers }).send(mapped.body());
  });
}

/** Maps any error reaching a route to a Redfish error: fastify's own 4xx keep their status, the rest is a 500. */
export function toRedfishError(error: unknown, request: FastifyRequest): RedfishHttpError {
  if (error instanceof RedfishHttpError) return error;
  const fe = error as Partial<FastifyError>;
  const message = typeof fe.message === 'string' ? fe.message.slice(0, 200) : 'bad request';
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return redfishError('payloadTooLarge', [String(REDFISH_BODY_LIMIT_BYTES)]);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return redfishError('unsupportedMediaType', [String(request.headers['content-type'] ?? 'none').slice(0, 100)]);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return redfishError('malformedJson', ['the body is empty']);
    default:
      break;
  }
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (status === 400 && (error instanceof SyntaxError || /json/i.test(message))) {
    return redfishError('malformedJson', [message]);
  }
  if (status >= 400 && status < 500) return new RedfishHttpError({ ...REDFISH_ERRORS.badRequest, status }, [message]);
  return redfishError('internal');
}
