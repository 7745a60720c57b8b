/**
 * Fuzz the served world (not a fake): malformed or unauthorised writes to Nova's admin routes and the control API
 * never answer 5xx and never change the world — services, instance placement and migrations stay as they were.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../harness/scenario/index.js';
import { startServe, type ServeHandle } from '../../harness/serve/serve.js';
import { writeServeScenario } from '../support/serve-scenario.js';

let serve: ServeHandle;
let base: string;
let token: string;

beforeAll(async () => {
  serve = await startServe({ spec: await loadScenario(writeServeScenario()), speed: 1 });
  base = `http://127.0.0.1:${serve.endpoints.port}`;
  const res = await fetch(`${base}/identity/v3/auth/tokens`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { name: 'Default' }, password: 'secret' } } }, scope: { project: { name: 'admin', domain: { name: 'Default' } } } } }),
  });
  token = res.headers.get('x-subject-token')!;
});
afterAll(async () => serve?.close());

/** The parts of the world a request could change. */
function snapshot(): string {
  const w = serve.world;
  const services = [...w.nova.computeServices.values()].map((s) => [s.host, s.status, s.disabledReason, s.forcedDown]);
  const instances = [...w.instances.values()].map((i) => [i.name, i.nova.host, i.nova.vmState, i.nova.taskState, i.executingHost()]);
  return JSON.stringify({ services, instances, migrations: w.nova.migrationsTable.all().length, hosts: w.hostList.map((h) => h.state) });
}

const uuid = () => [...serve.world.instances.values()][0]!.uuid;
const bodies = fc.oneof(
  fc.constant('{'), fc.constant('null'), fc.constant('[]'), fc.string({ maxLength: 40 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.record({ evacuate: fc.oneof(fc.constant(null), fc.string(), fc.record({ host: fc.oneof(fc.string(), fc.integer()), force: fc.string() })) }).map((v) => JSON.stringify(v)),
  fc.record({ host: fc.string(), binary: fc.string(), forced_down: fc.string() }).map((v) => JSON.stringify(v)),
  fc.record({ kind: fc.string(), target: fc.oneof(fc.string(), fc.integer()) }).map((v) => JSON.stringify(v)),
);
const versions = fc.constantFrom(undefined, '2.1', '2.11', '2.53', '2.999', 'latest', 'garbage', '3.0');
const tokens = fc.constantFrom<'admin' | 'none' | 'garbage'>('admin', 'none', 'garbage');
const routes = fc.constantFrom(
  ['PUT', '/compute/v2.1/os-services/force-down'], ['PUT', '/compute/v2.1/os-services/disable'],
  ['PUT', '/compute/v2.1/os-services/{svc}'], ['POST', '/compute/v2.1/servers/{id}/action'],
  ['POST', '/ihasim/v1/faults'], ['POST', '/ihasim/v1/faults/heal'],
);

describe('serve: rejected requests never change the served world', () => {
  it('bad bodies, tokens and microversions on write routes: no 5xx, world unchanged', async () => {
    const before = snapshot();
    await fc.assert(
      fc.asyncProperty(routes, bodies, versions, tokens, async ([method, path], body, version, tok) => {
        // Bodies that parse as a real fault or a valid Nova write would legitimately change the world: skip them.
        fc.pre(!/"kind":"(host|nova|pacemaker|nic|guest|network|controller|bmc|storage|power)/.test(body));
        fc.pre(!(tok === 'admin' && /"forced_down":(true|false)/.test(body)));
        const svc = [...serve.world.nova.computeServices.values()][0]!.uuid;
        const url = base + path!.replace('{id}', uuid()).replace('{svc}', svc);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (tok === 'admin') headers['x-auth-token'] = token;
        if (tok === 'garbage') headers['x-auth-token'] = 'not-a-token';
        if (version) headers['x-openstack-nova-api-version'] = version;
        const res = await fetch(url, { method, headers, body });
        await res.arrayBuffer();
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(snapshot()).toBe(before);
      }),
      { numRuns: 300 },
    );
  });
});
