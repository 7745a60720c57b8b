/**
 * Interop smoke: the real `openstack` CLI (python3-openstackclient 6.0) against `ihasim serve`'s Keystone and
 * Nova over the simulated world (in-process `startServe`): a token, the compute services with the states Nova's
 * heartbeats give them, and the servers of one host across projects (the world's instances belong to the
 * `admin` and `demo` projects, which serve's identity names with those ids).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ServeHandle } from '../../harness/serve/serve.js';
import { requireClient, runClient, type RunResult } from '../support/interop.js';
import { startServedCloud } from '../support/openstack-env.js';

const openstack = requireClient('openstack', 'python3-openstackclient');
const nova = requireClient('nova', 'python3-novaclient');
const ipmitool = requireClient('ipmitool', 'ipmitool');

let serve: ServeHandle;
let env: NodeJS.ProcessEnv;

beforeAll(async () => void ({ serve, env } = await startServedCloud('ihasim-serve-osc-')));

afterAll(async () => {
  await serve?.close();
});

function json<T>(r: RunResult): T {
  if (r.code !== 0) throw new Error(`openstack failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

const osc = (...args: string[]) => runClient(openstack.path!, args, { env, timeoutMs: 60_000 });
const oscAsDemo = (...args: string[]) => runClient(openstack.path!, args, { env: { ...env, OS_USERNAME: 'demo', OS_PROJECT_NAME: 'demo' }, timeoutMs: 60_000 });

openstack.describe('interop: openstack CLI against serve', () => {
  it('token issue, compute service list, server list --all-projects --host, server list as demo', { timeout: 90_000 }, async () => {
    const res = await fetch(`${serve.endpoints.control}/faults`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'nova-compute-crash', target: 'compute-02' }),
    });
    expect(res.status).toBe(201);
    const [token, services, servers, demoServers] = await Promise.all([
      osc('token', 'issue', '-f', 'json'),
      // Heartbeats of the crashed nova-compute expire after 60 s of sim time: 3 s here at 20×.
      new Promise((r) => setTimeout(r, 3_500)).then(() => osc('compute', 'service', 'list', '--service', 'nova-compute', '-f', 'json')),
      osc('server', 'list', '--all-projects', '--host', 'compute-04', '-f', 'json'),
      oscAsDemo('server', 'list', '-f', 'json'),
    ]);
    expect(json<{ project_id: string }>(token).project_id).toBe('admin');
    const list = json<{ Host: string; State: string; Status: string }[]>(services);
    expect(list.map((s) => s.Host)).toEqual(['compute-01', 'compute-02', 'compute-03', 'compute-04', 'compute-05', 'compute-06']);
    expect(list.find((s) => s.Host === 'compute-02')).toMatchObject({ State: 'down', Status: 'enabled' });
    expect(list.find((s) => s.Host === 'compute-01')).toMatchObject({ State: 'up', Status: 'enabled' });
    const names = json<{ Name: string; Status: string }[]>(servers).map((s) => s.Name).sort();
    expect(names).toEqual(['app-04', 'db-04', 'web-04']);
    // Instances alternate between the admin and demo projects (sim/build-world.ts): demo sees its six.
    const demo = json<{ Name: string }[]>(demoServers).map((s) => s.Name);
    expect(demo).toHaveLength(6);
    const demoIds = new Set(serve.world.nova.instances({ projectId: 'demo' }).map((i) => i.name));
    expect(demo.every((n) => demoIds.has(n))).toBe(true);
  });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `openstack server show` until `done` holds (the world runs at 20×: seconds of wall time suffice). */
async function waitForServer(id: string, done: (s: Record<string, string>) => boolean): Promise<Record<string, string>> {
  for (let i = 0; i < 30; i++) {
    const s = json<Record<string, string>>(await osc('server', 'show', id, '-f', 'json'));
    if (done(s)) return s;
    await sleep(1000);
  }
  throw new Error(`server ${id} never reached the expected state`);
}

openstack.describe('interop: an operator recovers a failed host in the served world with the real CLIs', () => {
  it('ipmitool confirms power-off; openstack forces down and disables; nova evacuates; the world agrees', { timeout: 180_000 }, async () => {
    const { control } = serve.endpoints;
    const post = (path: string, body: unknown) => fetch(`${control}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/faults', { kind: 'host-power-loss', target: 'compute-01' })).status).toBe(201);
    const port = serve.endpoints.nodes.find((n) => n.name === 'compute-01')!.ipmiPort!;
    const power = await runClient(ipmitool.path!, ['-I', 'lanplus', '-H', '127.0.0.1', '-p', String(port), '-U', 'admin', '-P', 'password', 'chassis', 'power', 'status']);
    expect(power.stdout).toContain('Chassis Power is off');
    const [hypervisors, flavors, flavor, images, onHost] = await Promise.all([
      osc('hypervisor', 'list', '-f', 'json'), osc('flavor', 'list', '-f', 'json'), osc('flavor', 'show', 'm1.small', '-f', 'json'),
      osc('image', 'list', '-f', 'json'), osc('server', 'list', '--all-projects', '--host', 'compute-01', '-f', 'json'),
    ]);
    expect(json<unknown[]>(hypervisors)).toHaveLength(6);
    expect(json<{ Name: string }[]>(flavors).map((f) => f.Name).sort()).toEqual(['m1.large', 'm1.medium', 'm1.small']);
    expect(json<{ properties: Record<string, string> }>(flavor).properties).toMatchObject({ evacuable: 'true' });
    expect(json<{ Name: string }[]>(images).map((i) => i.Name)).toEqual(['cirros']);
    const web = json<{ ID: string; Name: string }[]>(onHost).find((s) => s.Name === 'web-01')!;
    expect((await osc('compute', 'service', 'set', '--down', 'compute-01', 'nova-compute')).code).toBe(0);
    expect((await osc('compute', 'service', 'set', '--disable', '--disable-reason', 'fenced by operator', 'compute-01', 'nova-compute')).code).toBe(0);
    const evac = await runClient(nova.path!, ['evacuate', web.ID], { env, timeoutMs: 60_000 });
    expect(evac.code, evac.stderr).toBe(0);
    const moved = await waitForServer(web.ID, (s) => s['OS-EXT-SRV-ATTR:host'] !== 'compute-01' && s.status === 'ACTIVE');
    expect(moved['OS-EXT-SRV-ATTR:host']).toMatch(/^compute-0[2-6]$/);
    const migrations = json<{ 'Migration Type'?: string; Type?: string; 'Source Compute': string }[]>(await osc('server', 'migration', 'list', '-f', 'json'));
    expect(migrations.some((m) => m['Source Compute'] === 'compute-01')).toBe(true);
    const legacy = await runClient(nova.path!, ['--os-compute-api-version', '2.11', 'service-force-down', 'compute-06'], { env, timeoutMs: 60_000 });
    expect(legacy.code, legacy.stderr).toBe(0);
    expect((await osc('compute', 'service', 'set', '--up', '--enable', 'compute-06', 'nova-compute')).code).toBe(0);
    const truth = serve.world.instancesByName.get('web-01')!;
    expect(truth.executingHost()).toBe(moved['OS-EXT-SRV-ATTR:host']);
    const violations = (await (await fetch(`${control}/violations`)).json()) as { violations: unknown[] };
    expect(violations.violations).toEqual([]);
  });
});
