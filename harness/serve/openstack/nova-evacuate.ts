/**
 * `POST /servers/{id}/action` with `evacuate` (`nova/api/openstack/compute/evacuate.py`). The body schema and
 * the response depend on the microversion: `onSharedStorage` required below 2.14 (answer `{"adminPass": …}`),
 * optional `force` 2.29–2.67, empty 200 answers from 2.14. Every check runs before `nova.evacuate`. The same route
 * dispatches `trigger_crash_dump` (nova-crash-dump.ts).
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EvacuateRequest } from '../../../sim/nova/records.js';
import { novaBool, validateBody, type BodySchema } from './body-schema.js';
import { microversionOf, requireAdmin, type ApiDeps } from './context.js';
import { ApiFault } from './faults.js';
import { atLeast, type Microversion } from './microversion.js';
import { HOSTNAME } from './nova-service-schemas.js';
import { findServer } from './nova-servers.js';
import { triggerCrashDump } from './nova-crash-dump.js';

/** The `evacuate` body schema at microversion `v`. */
export function evacuateSchema(v: Microversion): BodySchema {
  const properties: Record<string, BodySchema> = { host: HOSTNAME, adminPass: { type: 'string' } };
  if (!atLeast(v, 14)) properties['onSharedStorage'] = { type: 'boolean' };
  if (atLeast(v, 29) && !atLeast(v, 68)) properties['force'] = { type: 'boolean' };
  const inner: BodySchema = { type: 'object', properties, required: atLeast(v, 14) ? [] : ['onSharedStorage'], additionalProperties: false };
  return { type: 'object', properties: { evacuate: inner }, required: ['evacuate'], additionalProperties: false };
}

/** Nova picks the action by the body's only key (`wsgi.py` `action_peek`). */
function actionName(body: unknown): string {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || Object.keys(body).length !== 1) {
    throw new ApiFault(400, 'Malformed request body');
  }
  return Object.keys(body)[0] as string;
}

interface ParsedEvacuate {
  request: EvacuateRequest;
  /** Below 2.14 the answer carries the password (null on shared storage). */
  answerPassword: string | null;
}

function parseEvacuate(v: Microversion, body: Record<string, unknown>): ParsedEvacuate {
  const request: EvacuateRequest = {};
  if (typeof body['host'] === 'string') request.host = body['host'];
  if (atLeast(v, 29) && Object.hasOwn(body, 'force')) {
    request.force = novaBool(body['force']);
    if (request.force && !request.host) throw new ApiFault(400, "Can't force to a non-provided destination");
  }
  const given = typeof body['adminPass'] === 'string' ? body['adminPass'] : undefined;
  if (given !== undefined) request.adminPass = given;
  if (atLeast(v, 14)) return { request, answerPassword: null };
  const shared = novaBool(body['onSharedStorage']);
  request.onSharedStorage = shared;
  if (shared && given !== undefined) throw new ApiFault(400, "admin password can't be changed on existing disk");
  return { request, answerPassword: given ?? (shared ? null : randomBytes(9).toString('base64url').slice(0, 12)) };
}

function evacuate(deps: ApiDeps, request: FastifyRequest, id: string): Record<string, unknown> | undefined {
  const v = microversionOf(request);
  validateBody(evacuateSchema(v), request.body);
  const parsed = parseEvacuate(v, (request.body as { evacuate: Record<string, unknown> }).evacuate);
  const target = parsed.request.host;
  if (target !== undefined && deps.nova.services({ host: target, binary: 'nova-compute' }).length === 0) {
    throw new ApiFault(404, `Compute host ${target} not found.`);
  }
  const instance = findServer(deps, request, id);
  requireAdmin(request, 'os_compute_api:os-evacuate');
  if (target !== undefined && instance.host === target) throw new ApiFault(400, "The target host can't be the same one.");
  deps.nova.evacuate(instance.uuid, parsed.request);
  return atLeast(v, 14) ? undefined : { adminPass: parsed.answerPassword };
}

/** Register `POST /servers/{id}/action`: `evacuate` and `trigger_crash_dump` (nova-crash-dump.ts). */
export function registerNovaActionRoutes(scope: FastifyInstance, deps: ApiDeps): void {
  scope.post('/servers/:id/action', async (request, reply) => {
    const id = (request.params as { id: string }).id;
    const action = actionName(request.body);
    if (action === 'trigger_crash_dump') {
      triggerCrashDump(deps, request, id);
      return reply.code(202).send();
    }
    if (action !== 'evacuate') throw new ApiFault(400, `There is no such action: ${action.slice(0, 64)}`);
    const answer = evacuate(deps, request, id);
    return answer === undefined ? reply.code(200).send() : reply.code(200).send(answer);
  });
}
