/**
 * Resources of the Redfish mock and their registration: one fastify route per URI for every method, dispatching on
 * the method, so a known URI with a method it does not serve gets 405 (with `Allow`) instead of fastify's 404.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { BmcBackend } from '../backend.js';
import type { Principal } from './auth.js';
import { redfishError } from './errors.js';
import type { SessionStore } from './sessions.js';

/**
 * Who may call a resource. `public`: anyone (service root, `$metadata`); `service`: any valid credentials;
 * `system`: the credentials of the node named by the `:systemId` parameter, after the node's reachability.
 */
export type Scope = 'public' | 'service' | 'system';

/** What handlers need: the world behind the BMC, the session table, and the request's principal. */
export interface RedfishContext {
  backend: BmcBackend;
  sessions: SessionStore;
  /** The authenticated principal of a non-public request (set by the guard). */
  principal(request: FastifyRequest): Principal;
}

export type ResourceHandler = (request: FastifyRequest, reply: FastifyReply, ctx: RedfishContext) => unknown;

/** The methods a resource can serve; HEAD is served by GET and OPTIONS by the registration itself. */
export type ServedMethod = 'GET' | 'POST' | 'DELETE';

export interface Resource {
  /** fastify URL pattern, e.g. `/redfish/v1/Systems/:systemId`. */
  url: string;
  scope: Scope;
  /** Methods that need no authentication even though the scope does (session login). */
  publicMethods?: readonly ServedMethod[];
  methods: Partial<Record<ServedMethod, ResourceHandler>>;
}

/** Every method fastify routes; the ones a resource does not serve answer 405. */
const ROUTED_METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'];

/** Methods a resource answers, for the `Allow` header. */
export function allowedMethods(resource: Resource): string[] {
  const served = Object.keys(resource.methods) as ServedMethod[];
  return [...served, ...(resource.methods.GET ? ['HEAD'] : []), 'OPTIONS'];
}

/** Whether a request needs no credentials. */
export function isPublicRequest(resource: Resource, method: string): boolean {
  if (resource.scope === 'public') return true;
  const served = method === 'HEAD' ? 'GET' : method;
  return (resource.publicMethods ?? []).some((m) => m === served);
}

function methodNotAllowed(method: string, path: string, allow: string[]) {
  return redfishError('methodNotAllowed', [method, path, allow.join(', ')], { allow: allow.join(', ') });
}

/** Registers one resource on the app. */
export function registerResource(app: FastifyInstance, resource: Resource, ctx: RedfishContext): void {
  const allow = allowedMethods(resource);
  app.route({
    method: ROUTED_METHODS,
    url: resource.url,
    handler: async (request, reply) => {
      if (request.method === 'OPTIONS') {
        return reply.code(204).header('allow', allow.join(', ')).send();
      }
      const served = (request.method === 'HEAD' ? 'GET' : request.method) as ServedMethod;
      const handler = resource.methods[served];
      if (!handler) throw methodNotAllowed(request.method, requestPath(request.url), allow);
      return handler(request, reply, ctx);
    },
  });
}

/** The path of a request URL without its query string, bounded in length for messages. */
export function requestPath(url: string): string {
  const path = url.split('?')[0] ?? '';
  return path.length > 200 ? `${path.slice(0, 197)}...` : path;
}

/** A predicate telling whether a raw request path (query and trailing slash ignored) names one of the resources. */
export function resourcePathMatcher(resources: readonly Resource[]): (url: string) => Resource | undefined {
  const compiled = resources.map((r) => ({ resource: r, regex: patternRegex(r.url) }));
  return (url) => {
    const path = (url.split('?')[0] ?? '').replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
    return compiled.find((c) => c.regex.test(path))?.resource;
  };
}

function patternRegex(pattern: string): RegExp {
  const source = pattern
    .replace(/\/$/, '')
    .split('/')
    .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}
