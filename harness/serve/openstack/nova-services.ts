/**
 * `os-services` (`nova/api/openstack/compute/services.py`): list with host/binary filters; the 2.1–2.52
 * update form `PUT /os-services/{enable,disable,disable-log-reason,force-down}` with host and binary in the
 * body; the ≥ 2.53 form `PUT /os-services/{uuid}`. All admin-only.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServiceRecord } from '../../../sim/nova/records.js';
import { novaBool, validateBody } from './body-schema.js';
import { microversionOf, queryParam, requireAdmin, type ApiDeps } from './context.js';
import { ApiFault } from './faults.js';
import { atLeast, type Microversion } from './microversion.js';
import { SERVICE_UPDATE_V253, UNKNOWN_QUERY_V275, serviceUpdateSchema } from './nova-service-schemas.js';
import { performLegacyUpdate } from './nova-services-legacy.js';
import type { SimClockView } from './options.js';
import { epochOf, novaDbTime } from './time-format.js';

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** A service as `GET /os-services` renders it at microversion `v`. */
export function serviceView(s: ServiceRecord, v: Microversion, clock: SimClockView): Record<string, unknown> {
  const updatedMs = Math.max(s.updatedAtMs, s.lastSeenUpMs ?? s.updatedAtMs);
  const view: Record<string, unknown> = {
    binary: s.binary,
    host: s.host,
    id: atLeast(v, 53) ? s.uuid : s.id,
    zone: s.zone,
    status: s.status,
    state: s.state,
    updated_at: novaDbTime(epochOf(clock, updatedMs)),
    disabled_reason: s.disabledReason,
  };
  if (atLeast(v, 11)) view['forced_down'] = s.forcedDown;
  return view;
}

function listServices(deps: ApiDeps, request: FastifyRequest): Record<string, unknown> {
  const v = microversionOf(request);
  if (atLeast(v, 75)) validateBody(UNKNOWN_QUERY_V275, { ...(request.query as object) });
  requireAdmin(request, 'os_compute_api:os-services:list');
  const host = queryParam(request, 'host');
  const binary = queryParam(request, 'binary');
  const filter: { host?: string; binary?: string } = {};
  if (host) filter.host = host;
  if (binary) filter.binary = binary;
  return { services: deps.nova.services(filter).map((s) => serviceView(s, v, deps.clock)) };
}

type V253Change = { status?: 'enabled' | 'disabled'; disabledReason?: string; forcedDown?: boolean };

/** The change a ≥ 2.53 body asks for (the body has passed the schema). */
function v253Change(body: Record<string, unknown>): V253Change {
  const change: V253Change = {};
  if (body['status'] === 'enabled') {
    if (body['disabled_reason']) throw new ApiFault(400, "Specifying 'disabled_reason' with status 'enabled' is invalid.");
    change.status = 'enabled';
  } else if (body['status'] === 'disabled') {
    change.status = 'disabled';
    if (typeof body['disabled_reason'] === 'string') change.disabledReason = body['disabled_reason'];
  }
  if (Object.hasOwn(body, 'forced_down')) change.forcedDown = novaBool(body['forced_down']);
  if (Object.keys(change).length === 0) {
    throw new ApiFault(400, "No updates were requested. Fields 'status' or 'forced_down' should be specified.");
  }
  return change;
}

function updateByUuid(deps: ApiDeps, request: FastifyRequest, id: string): Record<string, unknown> {
  const v = microversionOf(request);
  validateBody(SERVICE_UPDATE_V253, request.body ?? null);
  if (!UUID_RE.test(id)) throw new ApiFault(400, `Invalid uuid ${id}`);
  requireAdmin(request, 'os_compute_api:os-services:update');
  const service = deps.nova.services().find((s) => s.uuid === id);
  if (!service) throw new ApiFault(404, `Service ${id} could not be found.`);
  if (service.binary !== 'nova-compute') {
    throw new ApiFault(400, `Updating a ${service.binary} service is not supported. Only nova-compute services can be updated.`);
  }
  const updated = deps.nova.updateService(service.uuid, v253Change(request.body as Record<string, unknown>));
  return { service: serviceView(updated, v, deps.clock) };
}

function updateService(deps: ApiDeps, request: FastifyRequest): Record<string, unknown> {
  const v = microversionOf(request);
  const id = (request.params as { id: string }).id;
  if (atLeast(v, 53)) return updateByUuid(deps, request, id);
  validateBody(serviceUpdateSchema(v), request.body ?? null);
  requireAdmin(request, 'os_compute_api:os-services:update');
  return performLegacyUpdate(deps.nova, v, id, request.body as Record<string, unknown>);
}

/** Register `os-services` on the authenticated compute scope. */
export function registerNovaServiceRoutes(scope: FastifyInstance, deps: ApiDeps): void {
  scope.get('/os-services', async (request) => listServices(deps, request));
  scope.put('/os-services/:id', async (request) => updateService(deps, request));
}
