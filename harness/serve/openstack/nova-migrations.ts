/**
 * `GET /os-migrations` (admin) with Nova's filters, and `GET /servers/{id}/migrations` (≥ 2.23, admin) which
 * in Nova lists only *in-progress live migrations* — evacuations never appear there, so it answers an empty
 * list for any existing server.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { MigrationRecord } from '../../../sim/nova/records.js';
import { microversionOf, queryParam, requireAdmin, type ApiDeps } from './context.js';
import { ApiFault } from './faults.js';
import { atLeast, type Microversion } from './microversion.js';
import { findServer } from './nova-servers.js';
import type { SimClockView } from './options.js';
import { epochOf, novaDbTime } from './time-format.js';

/** A migration as `GET /os-migrations` renders it at microversion `v`. */
export function migrationView(m: MigrationRecord, v: Microversion, clock: SimClockView, projectOf: (uuid: string) => { projectId: string; userId: string } | undefined): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: m.id,
    instance_uuid: m.instanceUuid,
    source_compute: m.sourceCompute,
    dest_compute: m.destCompute,
    source_node: m.sourceCompute,
    dest_node: m.destCompute,
    dest_host: null,
    status: m.status,
    old_instance_type_id: 1,
    new_instance_type_id: 1,
    created_at: novaDbTime(epochOf(clock, m.createdAtMs)),
    updated_at: novaDbTime(epochOf(clock, m.updatedAtMs)),
  };
  if (atLeast(v, 23)) view['migration_type'] = m.migrationType;
  if (atLeast(v, 59)) view['uuid'] = m.uuid;
  if (atLeast(v, 80)) {
    const owner = projectOf(m.instanceUuid);
    view['user_id'] = owner?.userId ?? null;
    view['project_id'] = owner?.projectId ?? null;
  }
  return view;
}

type MigrationFilter = Parameters<ApiDeps['nova']['migrations']>[0] & object;

function migrationFilter(request: FastifyRequest): MigrationFilter {
  const filter: MigrationFilter = {};
  const pairs: [Exclude<keyof MigrationFilter, 'changesSinceMs'>, string][] = [
    ['host', 'host'],
    ['status', 'status'],
    ['instanceUuid', 'instance_uuid'],
    ['sourceCompute', 'source_compute'],
    ['migrationType', 'migration_type'],
  ];
  for (const [key, param] of pairs) {
    const value = queryParam(request, param);
    if (value) filter[key] = value;
  }
  return filter;
}

function listMigrations(deps: ApiDeps, request: FastifyRequest): Record<string, unknown> {
  requireAdmin(request, 'os_compute_api:os-migrations:index');
  const v = microversionOf(request);
  const projectOf = (uuid: string) => deps.nova.instance(uuid);
  const migrations = deps.nova
    .migrations(migrationFilter(request))
    .slice()
    .sort((a, b) => b.createdAtMs - a.createdAtMs || b.id - a.id);
  return { migrations: migrations.map((m) => migrationView(m, v, deps.clock, projectOf)) };
}

function serverMigrations(deps: ApiDeps, request: FastifyRequest): Record<string, unknown> {
  const id = (request.params as { id: string }).id;
  if (!atLeast(microversionOf(request), 23)) throw new ApiFault(404, 'The resource could not be found.');
  findServer(deps, request, id);
  requireAdmin(request, 'os_compute_api:servers:migrations:index');
  return { migrations: [] };
}

/** Register the migration routes on the authenticated compute scope. */
export function registerNovaMigrationRoutes(scope: FastifyInstance, deps: ApiDeps): void {
  scope.get('/os-migrations', async (request) => listMigrations(deps, request));
  scope.get('/servers/:id/migrations', async (request) => serverMigrations(deps, request));
}
