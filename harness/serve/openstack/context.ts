/**
 * What every route module gets (the world, the clock, the identity store, URLs) and what the auth and
 * microversion hooks attach to a request (kept in a WeakMap, so fastify's request type stays untouched).
 */
import type { FastifyRequest } from 'fastify';
import type { NovaControl } from '../../../sim/nova/records.js';
import { ApiFault, UNAUTHORIZED_MESSAGE } from './faults.js';
import type { IdentityStore, TokenInfo } from './identity-store.js';
import type { Microversion } from './microversion.js';
import type { ServiceUrls, SimClockView } from './options.js';

export interface ApiDeps {
  nova: NovaControl;
  clock: SimClockView;
  identity: IdentityStore;
  urls: ServiceUrls;
}

interface RequestState {
  token?: TokenInfo;
  microversion?: Microversion;
}

const states = new WeakMap<FastifyRequest, RequestState>();

function stateOf(request: FastifyRequest): RequestState {
  let s = states.get(request);
  if (!s) {
    s = {};
    states.set(request, s);
  }
  return s;
}

export function setToken(request: FastifyRequest, token: TokenInfo): void {
  stateOf(request).token = token;
}

export function setMicroversion(request: FastifyRequest, version: Microversion): void {
  stateOf(request).microversion = version;
}

/** The validated token of an authenticated route (the auth hook guarantees it). */
export function tokenOf(request: FastifyRequest): TokenInfo {
  const token = states.get(request)?.token;
  if (!token) throw new ApiFault(401, UNAUTHORIZED_MESSAGE);
  return token;
}

/** The negotiated compute microversion of the request (2.1 when none was set). */
export function microversionOf(request: FastifyRequest): Microversion {
  return states.get(request)?.microversion ?? { major: 2, minor: 1 };
}

/** True when the request's token carries the admin role. */
export function isAdmin(request: FastifyRequest): boolean {
  return tokenOf(request).roles.includes('admin');
}

/** Nova's policy refusal for admin-only rules (`rule:admin_api` / `role:admin`). */
export function requireAdmin(request: FastifyRequest, rule: string): void {
  if (!isAdmin(request)) throw new ApiFault(403, `Policy doesn't allow ${rule} to be performed.`);
}

/** Validate `X-Auth-Token` (keystonemiddleware): attach the token or throw 401. */
export function authenticate(deps: ApiDeps, request: FastifyRequest): void {
  const header = request.headers['x-auth-token'];
  const token = deps.identity.validate(typeof header === 'string' ? header : undefined);
  if (!token) throw new ApiFault(401, UNAUTHORIZED_MESSAGE);
  setToken(request, token);
}

/** A single-valued query parameter (repeated parameters: the last one, as webob's `GET[key]`). */
export function queryParam(request: FastifyRequest, key: string): string | undefined {
  const query = request.query as Record<string, string | string[] | undefined>;
  const value = query[key];
  return Array.isArray(value) ? value[value.length - 1] : value;
}
