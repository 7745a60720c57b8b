/**
 * Keystone v3 under `/identity`: version discovery (no token), password auth issuing `X-Subject-Token`,
 * token validation (`GET`/`HEAD /v3/auth/tokens`) and revocation (`DELETE`). Validation and revocation are
 * allowed to an admin or to the subject token's own user, as Keystone's default policies
 * (`keystone/common/policies/token.py`: `identity:check_token`, `identity:validate_token`,
 * `identity:revoke_token`, `rule:admin_or_token_subject` / `rule:service_admin_or_token_subject`); others get 403.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate, tokenOf, type ApiDeps } from './context.js';
import { ApiFault, UNAUTHORIZED_MESSAGE } from './faults.js';
import { parsePasswordAuth } from './keystone-auth-body.js';
import { identityVersion, tokenBody } from './keystone-documents.js';
import { PREFIX } from './options.js';

function subjectToken(deps: ApiDeps, request: FastifyRequest) {
  const header = request.headers['x-subject-token'];
  const id = typeof header === 'string' ? header : undefined;
  const subject = deps.identity.validate(id);
  if (!subject) throw new ApiFault(404, `Could not find token: ${String(id ?? '').slice(0, 128)}.`);
  return subject;
}

/**
 * The subject token, once the caller may act on it. Keystone resolves the subject first (its policy target is
 * the subject's `user_id`, so an unknown subject is a 404), then enforces `admin_required or token_subject`
 * (`role:admin`, `role:service`, or `user_id:%(target.token.user_id)s`).
 */
function authorisedSubject(deps: ApiDeps, request: FastifyRequest, action: 'check_token' | 'validate_token' | 'revoke_token') {
  const subject = subjectToken(deps, request);
  const caller = tokenOf(request);
  const privileged = caller.roles.includes('admin') || caller.roles.includes('service');
  if (!privileged && caller.user.id !== subject.user.id) {
    throw new ApiFault(403, `You are not authorized to perform the requested action: identity:${action}.`);
  }
  return subject;
}

function hasQuery(request: FastifyRequest, key: string): boolean {
  return Object.hasOwn(request.query as object, key);
}

function registerDiscovery(app: FastifyInstance, deps: ApiDeps): void {
  const list = (_req: FastifyRequest, reply: FastifyReply) =>
    reply.code(300).send({ versions: { values: [identityVersion(deps.urls)] } });
  const one = (_req: FastifyRequest, reply: FastifyReply) => reply.send({ version: identityVersion(deps.urls) });
  app.get(PREFIX.identity, list);
  app.get(`${PREFIX.identity}/`, list);
  app.get(`${PREFIX.identity}/v3`, one);
  app.get(`${PREFIX.identity}/v3/`, one);
}

function registerIssue(app: FastifyInstance, deps: ApiDeps): void {
  app.post(`${PREFIX.identity}/v3/auth/tokens`, async (request, reply) => {
    const auth = parsePasswordAuth(request.body);
    const token = deps.identity.authenticate(auth.user, auth.password, auth.scope);
    if (!token) throw new ApiFault(401, UNAUTHORIZED_MESSAGE);
    const body = tokenBody(token, deps.identity.config, deps.urls, !hasQuery(request, 'nocatalog'));
    return reply.code(201).header('X-Subject-Token', token.id).send(body);
  });
}

function registerValidate(app: FastifyInstance, deps: ApiDeps): void {
  const url = `${PREFIX.identity}/v3/auth/tokens`;
  const guard = async (request: FastifyRequest) => authenticate(deps, request);
  // HEAD before GET: fastify then does not add its automatic HEAD route for the GET.
  app.head(url, { onRequest: guard }, async (request, reply) => {
    const subject = authorisedSubject(deps, request, 'check_token');
    return reply.header('X-Subject-Token', subject.id).code(200).send();
  });
  app.get(url, { onRequest: guard }, async (request, reply) => {
    const subject = authorisedSubject(deps, request, 'validate_token');
    const body = tokenBody(subject, deps.identity.config, deps.urls, !hasQuery(request, 'nocatalog'));
    return reply.header('X-Subject-Token', subject.id).send(body);
  });
  app.delete(url, { onRequest: guard }, async (request, reply) => {
    const subject = authorisedSubject(deps, request, 'revoke_token');
    deps.identity.revoke(subject.id);
    return reply.code(204).send();
  });
}

/** Register Keystone's routes on the app. */
export function registerKeystoneRoutes(app: FastifyInstance, deps: ApiDeps): void {
  registerDiscovery(app, deps);
  registerIssue(app, deps);
  registerValidate(app, deps);
}
