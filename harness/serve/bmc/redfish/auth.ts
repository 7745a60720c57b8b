/**
 * Authentication for the Redfish mock: HTTP Basic (what fence_redfish sends, pre-emptively, on every request) or an
 * `X-Auth-Token` from a session.
 *
 * Credential model (one service for all nodes, each node a System with its own BMC credentials):
 * - a request is authenticated when its credentials equal the credentials of at least one Redfish-enabled node;
 * - a request about one System (`/redfish/v1/Systems/<node>/…`) is allowed only when its credentials equal that
 *   node's; otherwise it gets 401, as that node's own BMC would answer a wrong password;
 * - the Systems collection lists only the nodes the credentials open, so fence_redfish's discovery (which keeps the
 *   last member) finds a node it may act on.
 */
import type { FastifyRequest } from 'fastify';
import type { BmcBackend, BmcCredentials, BmcNode } from '../backend.js';
import { sameCredentials, type SessionStore } from './sessions.js';

/** Who is calling: the credentials a request carries, and the session it used, if any. */
export interface Principal {
  credentials: BmcCredentials;
  sessionId?: string;
}

/** Realm announced in `WWW-Authenticate` on 401. */
export const AUTH_REALM = 'ihasim Redfish';

/** Parses an `Authorization: Basic …` header; undefined when absent or garbled. */
export function parseBasicAuth(header: string | undefined): BmcCredentials | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The Redfish-enabled nodes of the backend. */
export function redfishNodes(backend: BmcBackend): BmcNode[] {
  return backend.nodes().filter((n) => n.redfish);
}

/** The Redfish-enabled node with this name, if any. */
export function findRedfishNode(backend: BmcBackend, name: string): BmcNode | undefined {
  return backend.nodes().find((n) => n.redfish && n.name === name);
}

/** Whether the principal may act on the node (its credentials are the node's). */
export function mayAccess(principal: Principal, node: BmcNode): boolean {
  return sameCredentials(principal.credentials, node.credentials);
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The principal a request authenticates as, or undefined (→ 401). An `X-Auth-Token` header, when present, is the
 * only thing looked at (a bad token is not rescued by Basic credentials).
 */
export function authenticate(
  request: FastifyRequest,
  backend: BmcBackend,
  sessions: SessionStore,
): Principal | undefined {
  const rawToken = request.headers['x-auth-token'];
  if (rawToken !== undefined) {
    const token = singleHeader(rawToken);
    const session = token === undefined ? undefined : sessions.findByToken(token);
    if (!session || !knownCredentials(backend, session.credentials)) return undefined;
    return { credentials: session.credentials, sessionId: session.id };
  }
  const basic = parseBasicAuth(singleHeader(request.headers.authorization));
  if (!basic || !knownCredentials(backend, basic)) return undefined;
  return { credentials: basic };
}

/** Whether the credentials open at least one Redfish-enabled node. */
export function knownCredentials(backend: BmcBackend, credentials: BmcCredentials): boolean {
  return redfishNodes(backend).some((n) => sameCredentials(n.credentials, credentials));
}
