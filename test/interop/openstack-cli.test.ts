/**
 * Interop: the real `openstack` (python3-openstackclient 6.0) and `nova` (python3-novaclient 18.1) CLIs against
 * the OpenStack API app on 127.0.0.1, over the fake Nova. Each CLI call costs 1–3 s (Python start-up plus
 * discovery and auth), so read-only calls run in parallel and the whole file keeps to about twenty calls.
 * The command lines here are the ones listed in harness/serve/openstack/INTEROP.md.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildOpenStackApp } from '../../harness/serve/openstack/app.js';
import { FakeNova, SERVER_IDS } from '../support/fake-nova.js';
import { requireClient, runClient, type RunResult } from '../support/interop.js';
import { freePort } from '../../harness/free-port.js';

const openstack = requireClient('openstack', 'python3-openstackclient');
const novaCli = requireClient('nova', 'python3-novaclient');
const CALL_TIMEOUT_MS = 60_000;

let app: FastifyInstance;
let nova: FakeNova;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  nova = new FakeNova();
  const port = await freePort();
  app = buildOpenStackApp({ nova, clock: { nowMs: () => nova.nowMs, epochMs: Date.now() }, publicUrl: `http://127.0.0.1:${port}` });
  await app.listen({ host: '127.0.0.1', port });
  env = {
    HOME: mkdtempSync(join(tmpdir(), 'ihasim-osc-')),
    OS_AUTH_URL: `http://127.0.0.1:${port}/identity`,
    OS_USERNAME: 'admin',
    OS_PASSWORD: 'secret',
    OS_PROJECT_NAME: 'admin',
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
    OS_IDENTITY_API_VERSION: '3',
    OS_REGION_NAME: 'RegionOne',
    OS_INTERFACE: 'public',
    OS_CLOUD: '',
    OS_COMPUTE_API_VERSION: '',
    NO_PROXY: '127.0.0.1',
    no_proxy: '127.0.0.1',
  };
});

afterAll(async () => {
  await app?.close();
});

async function osc(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return runClient(openstack.path ?? 'openstack', args, { env: { ...env, ...extraEnv }, timeoutMs: CALL_TIMEOUT_MS });
}

async function novacli(args: string[]): Promise<RunResult> {
  return runClient(novaCli.path ?? 'nova', args, { env, timeoutMs: CALL_TIMEOUT_MS });
}

function json<T>(r: RunResult): T {
  if (r.code !== 0) throw new Error(`client failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

const computeService = (host: string) => nova.services({ host, binary: 'nova-compute' })[0];

openstack.describe('interop: openstack CLI reads (keystone, nova, glance)', () => {
  it('token issue, compute service list, hypervisor list, flavor list, image list', { timeout: 120_000 }, async () => {
    const [token, services, hypervisors, flavors, images] = await Promise.all([
      osc(['token', 'issue', '-f', 'json']),
      osc(['compute', 'service', 'list', '-f', 'json']),
      osc(['hypervisor', 'list', '-f', 'json']),
      osc(['flavor', 'list', '-f', 'json']),
      osc(['image', 'list', '-f', 'json']),
    ]);
    expect(json<{ project_id: string }>(token).project_id).toBe('p-admin');
    const svc = json<{ ID: string; Host: string; Binary: string; State: string }[]>(services);
    expect(svc.map((s) => s.Host)).toContain('compute-2');
    expect(svc.find((s) => s.Host === 'compute-0')?.ID).toBe(computeService('compute-0')?.uuid);
    expect(json<{ 'Hypervisor Hostname': string }[]>(hypervisors).map((h) => h['Hypervisor Hostname'])).toEqual(['compute-0', 'compute-1', 'compute-2']);
    expect(json<{ Name: string }[]>(flavors).map((f) => f.Name)).toEqual(['m1.tiny', 'm1.small']);
    expect(json<{ Name: string }[]>(images).map((i) => i.Name)).toEqual(['cirros']);
  });

  it('server list --all-projects [--host], server show, flavor show', { timeout: 120_000 }, async () => {
    const [all, onHost, show, flavor] = await Promise.all([
      osc(['server', 'list', '--all-projects', '-f', 'json']),
      osc(['server', 'list', '--all-projects', '--host', 'compute-0', '-f', 'json']),
      osc(['server', 'show', SERVER_IDS.vm1, '-f', 'json']),
      osc(['flavor', 'show', 'm1.small', '-f', 'json']),
    ]);
    expect(json<unknown[]>(all)).toHaveLength(4);
    expect(json<{ Name: string }[]>(onHost).map((s) => s.Name).sort()).toEqual(['vm-1', 'vm-2']);
    const server = json<Record<string, unknown>>(show);
    expect(server).toMatchObject({ id: SERVER_IDS.vm1, status: 'ACTIVE', 'OS-EXT-SRV-ATTR:host': 'compute-0', flavor: 'm1.tiny (1)' });
    expect(json<{ properties: Record<string, string> }>(flavor).properties).toMatchObject({ evacuable: 'true' });
  });
});

openstack.describe('interop: openstack and nova CLIs mark a host down and evacuate it', () => {
  it('compute service set --down / --disable (2.53 uuid path)', { timeout: 120_000 }, async () => {
    expect((await osc(['compute', 'service', 'set', '--down', 'compute-0', 'nova-compute'])).code).toBe(0);
    expect((await osc(['compute', 'service', 'set', '--disable', '--disable-reason', 'fenced', 'compute-0', 'nova-compute'])).code).toBe(0);
    expect(computeService('compute-0')).toMatchObject({ forcedDown: true, state: 'down', status: 'disabled', disabledReason: 'fenced' });
  });

  novaCli.describe('nova CLI', () => {
    it('nova evacuate (2.92) moves the server; server migration list shows the evacuation', { timeout: 120_000 }, async () => {
      const evac = await novacli(['evacuate', SERVER_IDS.vm1]);
      expect(evac.code, evac.stderr).toBe(0);
      expect(nova.instance(SERVER_IDS.vm1)?.host).toBe('compute-1');
      const [list, novaList, services] = await Promise.all([osc(['server', 'migration', 'list', '-f', 'json']), novacli(['migration-list']), novacli(['service-list'])]);
      const migrations = json<Record<string, unknown>[]>(list);
      expect(novaList.stdout).toMatch(/\| evacuation +\|/);
      expect(services.stdout).toMatch(/compute-0 +\| nova +\| disabled \| down +\|.*\| fenced +\| True/);
      expect(migrations).toHaveLength(1);
      expect(migrations[0]).toMatchObject({ 'Source Compute': 'compute-0', 'Dest Compute': 'compute-1', Status: 'done', 'Server UUID': SERVER_IDS.vm1 });
    });

    it('refuses nova evacuate of a paused server (409) and of a server whose host is up (400)', { timeout: 120_000 }, async () => {
      const before = nova.snapshot();
      const [paused, up] = await Promise.all([novacli(['evacuate', SERVER_IDS.vm4]), novacli(['--os-compute-api-version', '2.11', 'evacuate', '--on-shared-storage', SERVER_IDS.vm3])]);
      expect(paused.code).toBe(1);
      expect(paused.stderr).toContain(`ERROR (Conflict): Cannot 'evacuate' instance ${SERVER_IDS.vm4} while it is in vm_state paused (HTTP 409)`);
      expect(up.code).toBe(1);
      expect(up.stderr).toContain('ERROR (BadRequest): Compute service of compute-1 is still in use. (HTTP 400)');
      expect(nova.snapshot()).toBe(before);
    });

    it('nova service-force-down (2.11 legacy form), nova evacuate --on-shared-storage (2.11), --unset (2.92 uuid form)', { timeout: 120_000 }, async () => {
      const down = await novacli(['--os-compute-api-version', '2.11', 'service-force-down', 'compute-1']);
      expect(down.code, down.stderr).toBe(0);
      expect(computeService('compute-1')?.forcedDown).toBe(true);
      const evac = await novacli(['--os-compute-api-version', '2.11', 'evacuate', '--on-shared-storage', SERVER_IDS.vm3]);
      expect(evac.code, evac.stderr).toBe(0);
      expect(nova.instance(SERVER_IDS.vm3)?.host).toBe('compute-2');
      const uuid = computeService('compute-1')?.uuid ?? '';
      const refused = await novacli(['service-force-down', '--unset', uuid]);
      expect(refused.stderr).toContain('ERROR (BadRequest): Unable to force up host compute-1');
      nova.completeEvacuations('compute-1');
      const unset = await novacli(['service-force-down', '--unset', uuid]);
      expect(unset.code, unset.stderr).toBe(0);
      expect(computeService('compute-1')?.forcedDown).toBe(false);
    });
  });

  it('compute service set --up is refused while done evacuations remain, accepted after the source restarts', { timeout: 120_000 }, async () => {
    const refused = await osc(['compute', 'service', 'set', '--up', 'compute-0', 'nova-compute']);
    expect(refused.code).toBe(1);
    expect(computeService('compute-0')?.forcedDown).toBe(true);
    nova.completeEvacuations('compute-0');
    expect((await osc(['compute', 'service', 'set', '--up', '--enable', 'compute-0', 'nova-compute'])).code).toBe(0);
    expect(computeService('compute-0')).toMatchObject({ forcedDown: false, status: 'enabled', state: 'up' });
  });

  it('compute service set with OS_COMPUTE_API_VERSION=2.11 takes the legacy PUT /os-services/<action> path', { timeout: 120_000 }, async () => {
    const res = await osc(['compute', 'service', 'set', '--disable', '--down', 'compute-2', 'nova-compute'], { OS_COMPUTE_API_VERSION: '2.11' });
    expect(res.code, res.stderr).toBe(0);
    expect(computeService('compute-2')).toMatchObject({ forcedDown: true, status: 'disabled' });
  });
});
