/**
 * The served `os-services` API over the simulated Nova surfaces `ServiceController._check_for_evacuations`
 * (nova/api/openstack/compute/services.py) as Nova does: 400 with Nova's message, on every request that sets
 * forced_down=false, and nothing saved.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildOpenStackApp } from '../../harness/serve/openstack/app.js';
import { parseScenario } from '../../harness/scenario/index.js';
import { buildWorld } from '../../sim/build-world.js';
import { injectFault } from '../../sim/faults/inject.js';
import type { World } from '../../sim/world.js';

const YAML = `ihasim: 1
name: served-force-up
duration: 2h
topology:
  controllers: 3
  computes:
    - { name: "compute-{01..03}", vcpus: 16, ramMb: 65536, diskGb: 1000 }
flavors:
  m1.small: { vcpus: 1, ramMb: 2048, diskGb: 20 }
images:
  cirros: {}
servers:
  - { name: "vm-01", flavor: m1.small, image: cirros, host: compute-01 }
recovery: { policy: external }
`;

/** vm-01 evacuated from compute-01 once Nova saw it down (never forced down): a `done` row remains. */
function worldWithDoneEvacuation(): World {
  const world = buildWorld(parseScenario(YAML, 'served-force-up.yaml'), { seed: 1 });
  world.kernel.run(60_000);
  injectFault(world, { atMs: world.kernel.now, kind: 'host-power-loss', target: { pool: ['compute-01'], text: 'compute-01' } } as Parameters<typeof injectFault>[1]);
  world.kernel.run(world.kernel.now + 90_000);
  world.nova.evacuate(world.instancesByName.get('vm-01')!.uuid, {});
  world.kernel.run(world.kernel.now + 30_000);
  return world;
}

let app: FastifyInstance | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

async function serve(world: World) {
  app = buildOpenStackApp({ nova: world.nova, clock: { nowMs: () => world.kernel.now, epochMs: Date.parse('2030-01-01T00:00:00Z') }, publicUrl: 'http://127.0.0.1:5000' });
  const auth = { auth: { identity: { methods: ['password'], password: { user: { name: 'admin', password: 'secret', domain: { name: 'Default' } } } }, scope: { project: { name: 'admin', domain: { name: 'Default' } } } } };
  const login = await app.inject({ method: 'POST', url: '/identity/v3/auth/tokens', payload: auth });
  const token = String(login.headers['x-subject-token']);
  return (url: string, body: unknown, version: string) =>
    app!.inject({ method: 'PUT', url: `/compute/v2.1/os-services${url}`, payload: body as object, headers: { 'x-auth-token': token, 'openstack-api-version': `compute ${version}` } });
}

const MESSAGE = /^Unable to force up host compute-01 as `done` evacuation migration records remain associated with the host\. Ensure the compute service has been restarted/;

describe('served os-services: _check_for_evacuations on every forced_down=false', () => {
  it('2.11 force-down path: refused with 400 although the service is not forced down', async () => {
    const world = worldWithDoneEvacuation();
    const put = await serve(world);
    const res = await put('/force-down', { host: 'compute-01', binary: 'nova-compute', forced_down: false }, '2.11');
    expect(res.statusCode).toBe(400);
    expect(res.json().badRequest.message).toMatch(MESSAGE);
  });

  it('2.53 PUT /os-services/{id}: a body that enables and forces up is refused whole (400), the service stays disabled', async () => {
    const world = worldWithDoneEvacuation();
    world.nova.disable('compute-01', 'nova-compute', 'maintenance');
    const svc = world.nova.computeServices.get('compute-01')!;
    const put = await serve(world);
    const res = await put(`/${svc.uuid}`, { status: 'enabled', forced_down: false }, '2.53');
    expect(res.statusCode).toBe(400);
    expect(res.json().badRequest.message).toMatch(MESSAGE);
    expect(world.nova.services({ host: 'compute-01', binary: 'nova-compute' })[0]).toMatchObject({ status: 'disabled', disabledReason: 'maintenance', forcedDown: false });
    // Enabling alone is not a force-up: accepted.
    expect((await put(`/${svc.uuid}`, { status: 'enabled' }, '2.53')).statusCode).toBe(200);
  });
});
