/**
 * The `onRequest` guard: reachability of the node a request is about, then authentication and per-node
 * authorization. It runs before the body is read, so an unauthenticated or unreachable request never costs a body
 * parse and never reaches a handler.
 *
 * Reachability (per node; the service root and collections belong to the shared service and stay reachable):
 * - `unreachable`: the connection is destroyed without a response. To curl / python-requests this is a connection
 *   error ("Connection aborted"), which is what an unreachable BMC looks like to fence_redfish (it has no request
 *   timeout, so a hang would hang the agent until Pacemaker kills it); it is bounded and immediate.
 * - `broken`: 500 with a Redfish InternalError body, before authentication (a broken BMC fails whatever it is sent).
 */
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { AUTH_REALM, authenticate, findRedfishNode, mayAccess, type Principal } from './auth.js';
import { redfishError } from './errors.js';
import { isPublicRequest, type RedfishContext, type Resource } from './resource.js';
import { systemIdParam } from './system-resources.js';

/** 401 with the `WWW-Authenticate` challenge. */
export function unauthorized() {
  return redfishError('unauthorized', [], { 'www-authenticate': `Basic realm="${AUTH_REALM}"` });
}

/** Destroys the connection without answering (what an unreachable host looks like from the client). */
export function dropConnection(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  request.log.debug({ url: request.url }, 'redfish: node unreachable, dropping connection');
  reply.hijack();
  // Destroying the response destroys its socket (and, under inject(), fails the injected request).
  reply.raw.destroy();
  return reply;
}

/** Builds the guard. `resourceOf` maps a matched route pattern to its resource; `principals` receives the caller. */
export function createGuard(
  ctx: Pick<RedfishContext, 'backend' | 'sessions'>,
  resourceOf: (routeUrl: string | undefined) => Resource | undefined,
  principals: WeakMap<FastifyRequest, Principal>,
): onRequestAsyncHookHandler {
  return async function redfishGuard(request, reply) {
    const resource = resourceOf(request.routeOptions.url);
    if (resource && isPublicRequest(resource, request.method)) return;
    const node = resource?.scope === 'system' ? findRedfishNode(ctx.backend, systemIdParam(request)) : undefined;
    if (node) {
      const reachability = ctx.backend.reachability(node.name);
      if (reachability === 'unreachable') return dropConnection(request, reply);
      if (reachability === 'broken') throw redfishError('bmcBroken', [node.name]);
    }
    const principal = authenticate(request, ctx.backend, ctx.sessions);
    if (!principal || (node && !mayAccess(principal, node))) throw unauthorized();
    principals.set(request, principal);
  };
}
