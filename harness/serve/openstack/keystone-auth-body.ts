/**
 * Parse a Keystone v3 password auth request (`POST /v3/auth/tokens`) into the references the identity store
 * resolves. Malformed bodies get Keystone's 400 message: `Expecting to find <attr> in <target>. …`.
 */
import { ApiFault } from './faults.js';
import type { DomainRef, ProjectRef, UserRef } from './identity-store.js';

export interface PasswordAuth {
  user: UserRef;
  password: string;
  scope: ProjectRef | undefined;
}

const COMPLY =
  'The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.';

function missing(attribute: string, target: string): never {
  throw new ApiFault(400, `Expecting to find ${attribute} in ${target}. ${COMPLY}`);
}

function objectAt(parent: Record<string, unknown>, key: string, target: string): Record<string, unknown> {
  const value = parent[key];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) missing(key, target);
  return value as Record<string, unknown>;
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 255;
}

function parseDomain(parent: Record<string, unknown>, target: string): DomainRef {
  const domain = objectAt(parent, 'domain', target);
  if (nonEmptyString(domain['id'])) return { id: domain['id'] };
  if (nonEmptyString(domain['name'])) return { name: domain['name'] };
  return missing('id or name', 'domain');
}

function parseNamed(obj: Record<string, unknown>, target: string): UserRef {
  if (nonEmptyString(obj['id'])) return { id: obj['id'] };
  if (nonEmptyString(obj['name'])) return { name: obj['name'], domain: parseDomain(obj, target) };
  return missing('id or name', target);
}

/** A project scope, or undefined for an unscoped request (domain and system scopes are treated as unscoped). */
function parseScope(auth: Record<string, unknown>): ProjectRef | undefined {
  if (auth['scope'] === undefined || auth['scope'] === 'unscoped') return undefined;
  const scope = objectAt(auth, 'scope', 'auth');
  if (scope['project'] === undefined) return undefined;
  return parseNamed(objectAt(scope, 'project', 'scope'), 'project');
}

/** Parse the body; throws a 400 `ApiFault` for anything that is not a well-formed password request. */
export function parsePasswordAuth(body: unknown): PasswordAuth {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) missing('auth', 'request body');
  const auth = objectAt(body as Record<string, unknown>, 'auth', 'request body');
  const identity = objectAt(auth, 'identity', 'auth');
  const methods = identity['methods'];
  if (!Array.isArray(methods) || !methods.every((m) => typeof m === 'string')) missing('methods', 'identity');
  if (!methods.includes('password')) throw new ApiFault(401, 'The request you have made requires authentication.');
  const password = objectAt(identity, 'password', 'identity');
  const user = objectAt(password, 'user', 'password');
  if (typeof user['password'] !== 'string') missing('password', 'user');
  return { user: parseNamed(user, 'user'), password: user['password'], scope: parseScope(auth) };
}
