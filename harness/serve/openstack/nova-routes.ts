/**
 * Nova v2.1 under `/compute`: the unauthenticated version documents, then one encapsulated scope at
 * `/compute/v2.1` whose hooks check the token (401, keystonemiddleware comes first in Nova's pipeline),
 * negotiate the microversion (400/406), and echo it on every answer with `Vary`.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate, microversionOf, setMicroversion, type ApiDeps } from './context.js';
import { formatMicroversion, negotiateMicroversion } from './microversion.js';
import { registerNovaActionRoutes } from './nova-evacuate.js';
import { registerNovaFlavorRoutes } from './nova-flavors.js';
import { registerNovaHypervisorRoutes } from './nova-hypervisors.js';
import { registerNovaMigrationRoutes } from './nova-migrations.js';
import { registerNovaPlacementRoutes } from './nova-placement.js';
import { registerNovaServerRoutes } from './nova-servers.js';
import { registerNovaServiceRoutes } from './nova-services.js';
import { registerNovaVersionRoutes } from './nova-versions.js';
import { PREFIX } from './options.js';

async function echoHeaders(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const version = formatMicroversion(microversionOf(request));
  const requestId = `req-${randomUUID()}`;
  reply.header('OpenStack-API-Version', `compute ${version}`);
  reply.header('X-OpenStack-Nova-API-Version', version);
  reply.header('Vary', 'OpenStack-API-Version, X-OpenStack-Nova-API-Version');
  reply.header('X-OpenStack-Request-ID', requestId);
  reply.header('X-Compute-Request-Id', requestId);
}

function registerComputeScope(scope: FastifyInstance, deps: ApiDeps): void {
  scope.addHook('onRequest', async (request) => {
    authenticate(deps, request);
    setMicroversion(request, negotiateMicroversion(request.headers));
  });
  scope.addHook('onSend', async (request, reply, payload) => {
    await echoHeaders(request, reply);
    return payload;
  });
  registerNovaServiceRoutes(scope, deps);
  registerNovaHypervisorRoutes(scope, deps);
  registerNovaServerRoutes(scope, deps);
  registerNovaActionRoutes(scope, deps);
  registerNovaMigrationRoutes(scope, deps);
  registerNovaFlavorRoutes(scope, deps);
  registerNovaPlacementRoutes(scope, deps);
}

/** Register Nova's routes on the app. */
export function registerNovaRoutes(app: FastifyInstance, deps: ApiDeps): void {
  registerNovaVersionRoutes(app, deps);
  app.register(async (scope) => registerComputeScope(scope, deps), { prefix: `${PREFIX.compute}/v2.1` });
}
