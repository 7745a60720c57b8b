/**
 * Interop: the real `openstack server dump create` (python3-openstackclient) and `nova trigger-crash-dump`
 * (python3-novaclient) at microversion 2.17 against `ihasim serve`: the guest of the server panics in the world,
 * and below 2.17 the clients are refused.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ServeHandle } from '../../harness/serve/serve.js';
import { requireClient, runClient } from '../support/interop.js';
import { startServedCloud } from '../support/openstack-env.js';

const openstack = requireClient('openstack', 'python3-openstackclient');
const nova = requireClient('nova', 'python3-novaclient');

let serve: ServeHandle;
let env: NodeJS.ProcessEnv;

beforeAll(async () => void ({ serve, env } = await startServedCloud('ihasim-serve-dump-')));

afterAll(async () => {
  await serve?.close();
});

/** The states of the server's domains in the world's truth. */
async function domainStates(name: string): Promise<string[]> {
  const body = (await (await fetch(`${serve.endpoints.control}/instances`)).json()) as { instances: { name: string; truth: { domains: { state: string }[] } }[] };
  return body.instances.find((i) => i.name === name)!.truth.domains.map((d) => d.state);
}

openstack.describe('interop: openstack server dump create against serve', () => {
  it('panics the guest at 2.17; is refused at 2.16', { timeout: 60_000 }, async () => {
    const old = await runClient(openstack.path!, ['--os-compute-api-version', '2.16', 'server', 'dump', 'create', 'web-01'], { env, timeoutMs: 30_000 });
    expect(old.code).not.toBe(0);
    expect(await domainStates('web-01')).toEqual(['running']);
    const r = await runClient(openstack.path!, ['--os-compute-api-version', '2.17', 'server', 'dump', 'create', 'web-01'], { env, timeoutMs: 30_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await domainStates('web-01')).toEqual(['panicked']);
  });
});

nova.describe('interop: nova trigger-crash-dump against serve', () => {
  it('panics the guest at 2.17 (a demo project\'s server, by uuid, as admin)', { timeout: 60_000 }, async () => {
    const uuid = serve.world.instancesByName.get('app-02')!.uuid;
    const r = await runClient(nova.path!, ['--os-compute-api-version', '2.17', 'trigger-crash-dump', uuid], { env, timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(await domainStates('app-02')).toEqual(['panicked']);
  });
});
