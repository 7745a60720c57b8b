/**
 * SessionService: `POST …/Sessions` logs in (no other authentication needed; answers 201 with `X-Auth-Token` and
 * `Location`), `DELETE …/Sessions/<id>` logs out. A caller sees and deletes only its own sessions.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { knownCredentials, AUTH_REALM } from './auth.js';
import {
  sessionCollectionDocument,
  sessionDocument,
  sessionServiceDocument,
  sessionUri,
  SESSIONS_URI,
  SESSION_SERVICE_URI,
} from './documents.js';
import { redfishError } from './errors.js';
import { describeValue } from './reset-types.js';
import { requestPath, type RedfishContext, type Resource } from './resource.js';
import type { BmcCredentials } from '../backend.js';

/** Reads `{"UserName": string, "Password": string}`; 400 naming the first missing or mistyped property. */
export function parseLoginBody(body: unknown): BmcCredentials {
  if (body === undefined || body === null) throw redfishError('propertyMissing', ['UserName']);
  if (typeof body !== 'object' || Array.isArray(body)) throw redfishError('bodyNotObject', [describeValue(body)]);
  const record = body as Record<string, unknown>;
  const fields = ['UserName', 'Password'] as const;
  for (const field of fields) {
    const value = record[field];
    if (value === undefined) throw redfishError('propertyMissing', [field]);
    if (typeof value !== 'string') throw redfishError('propertyType', [describeValue(value), field]);
  }
  return { username: record['UserName'] as string, password: record['Password'] as string };
}

async function login(request: FastifyRequest, reply: FastifyReply, ctx: RedfishContext): Promise<FastifyReply> {
  const credentials = parseLoginBody(request.body);
  if (!knownCredentials(ctx.backend, credentials)) {
    throw redfishError('unauthorized', [], { 'www-authenticate': `Basic realm="${AUTH_REALM}"` });
  }
  const session = ctx.sessions.create(credentials);
  request.log.info({ session: session.id, user: credentials.username }, 'redfish session created');
  return reply
    .code(201)
    .header('x-auth-token', session.token)
    .header('location', sessionUri(session.id))
    .send(sessionDocument(session));
}

function ownedSession(request: FastifyRequest, ctx: RedfishContext) {
  const id = (request.params as Record<string, unknown> | undefined)?.['sessionId'];
  const session = typeof id === 'string' ? ctx.sessions.findOwned(id, ctx.principal(request).credentials) : undefined;
  if (!session) throw redfishError('resourceMissing', [requestPath(request.url)]);
  return session;
}

/** Resources of the SessionService. */
export function sessionResources(): Resource[] {
  return [
    { url: SESSION_SERVICE_URI, scope: 'service', methods: { GET: () => sessionServiceDocument() } },
    {
      url: SESSIONS_URI,
      scope: 'service',
      publicMethods: ['POST'],
      methods: {
        GET: (req, _reply, ctx) => sessionCollectionDocument(ctx.sessions.listOwned(ctx.principal(req).credentials)),
        POST: login,
      },
    },
    {
      url: `${SESSIONS_URI}/:sessionId`,
      scope: 'service',
      methods: {
        GET: (req, _reply, ctx) => sessionDocument(ownedSession(req, ctx)),
        DELETE: (req, reply, ctx) => {
          ctx.sessions.delete(ownedSession(req, ctx).id);
          return reply.code(204).send();
        },
      },
    },
  ];
}
