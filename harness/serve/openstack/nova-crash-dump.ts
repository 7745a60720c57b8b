/**
 * `POST /servers/{id}/action` with `trigger_crash_dump` (nova/api/openstack/compute/servers.py
 * `ServersController._trigger_crash_dump`, `_action_trigger_crash_dump` in older releases): from microversion
 * 2.17 (`@wsgi.api_version("2.17")`); below it the action does not exist at that version and Nova's `dispatch`
 * answers a bare 404 (nova/api/openstack/wsgi.py, `VersionNotFoundForAPIMethod`). The body must be exactly
 * `{"trigger_crash_dump": null}` (schemas/servers.py `trigger_crash_dump`), else 400. The project's members may
 * call it on their servers (policy `os_compute_api:servers:trigger_crash_dump`, project member or admin). 202 with
 * no body; the NMI it casts panics the guest in the world (sim/nova/nova.ts `Nova.triggerCrashDump`).
 */
import type { FastifyRequest } from 'fastify';
import { validateBody, type BodySchema } from './body-schema.js';
import { microversionOf, type ApiDeps } from './context.js';
import { ApiFault } from './faults.js';
import { atLeast } from './microversion.js';
import { findServer } from './nova-servers.js';

const TRIGGER_CRASH_DUMP_SCHEMA: BodySchema = {
  type: 'object', properties: { trigger_crash_dump: { type: 'null' } }, required: ['trigger_crash_dump'], additionalProperties: false,
};

/** Check and cast the crash dump; the caller answers 202. */
export function triggerCrashDump(deps: ApiDeps, request: FastifyRequest, id: string): void {
  if (!atLeast(microversionOf(request), 17)) throw new ApiFault(404, 'The resource could not be found.');
  validateBody(TRIGGER_CRASH_DUMP_SCHEMA, request.body);
  const instance = findServer(deps, request, id);
  deps.nova.triggerCrashDump(instance.uuid);
}
