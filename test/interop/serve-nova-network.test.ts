/**
 * Interop: `openstack` (OSC 6.0 / openstacksdk 0.101) against `ihasim serve`'s minimal Neutron, found through the
 * Keystone catalog (type `network`, `/networking`): `availability zone list` with no `--compute` (compute AZs
 * from Nova, network AZs from Neutron; the volume part is skipped because there is no volume service),
 * `network list`, `subnet list`, `port list --host` (binding:host_id) and `--server` (device_id), and `server list`'s
 * Networks column from the same ports. See harness/serve/openstack/INTEROP.md.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ServeHandle } from '../../harness/serve/serve.js';
import { requireClient, runClient, type RunResult } from '../support/interop.js';
import { startServedCloud } from '../support/openstack-env.js';

const openstack = requireClient('openstack', 'python3-openstackclient');

let serve: ServeHandle;
let env: NodeJS.ProcessEnv;

beforeAll(async () => void ({ serve, env } = await startServedCloud('ihasim-serve-net-')));

afterAll(async () => {
  await serve?.close();
});

const osc = (...args: string[]) => runClient(openstack.path!, args, { env, timeoutMs: 60_000 });

function json<T>(r: RunResult): T {
  if (r.code !== 0) throw new Error(`openstack failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

type Port = { ID: string; 'MAC Address': string; 'Fixed IP Addresses': { ip_address: string }[] };

openstack.describe('interop: openstack network commands against serve', () => {
  it('availability zone list (no --compute), network list, port list --host / --server, server Networks', { timeout: 120_000 }, async () => {
    const web01 = serve.world.nova.instances({ name: 'web-01' })[0]!;
    const [zones, zonesLong, networks, onHost, ofServer, servers, subnets] = await Promise.all([
      osc('availability', 'zone', 'list', '-f', 'json'),
      osc('availability', 'zone', 'list', '--long', '-f', 'json'),
      osc('network', 'list', '-f', 'json'),
      osc('port', 'list', '--host', 'compute-01', '-f', 'json'),
      osc('port', 'list', '--server', web01.uuid, '-f', 'json'),
      osc('server', 'list', '--all-projects', '--host', 'compute-01', '-f', 'json'),
      osc('subnet', 'list', '-f', 'json'),
    ]);
    expect(zones.stderr).toBe('');
    expect(json<{ 'Zone Name': string }[]>(zones).map((z) => z['Zone Name']).sort()).toEqual(['internal', 'nova', 'nova', 'nova']);
    const resources = json<{ 'Zone Resource': string }[]>(zonesLong).map((z) => z['Zone Resource']).filter((r) => r);
    expect(resources.sort()).toEqual(['network', 'router']);
    expect(json<{ Name: string; Subnets: string[] }[]>(networks)).toEqual([expect.objectContaining({ Name: 'private', Subnets: [expect.any(String)] })]);
    expect(json<{ Name: string; Subnet: string }[]>(subnets)).toEqual([expect.objectContaining({ Name: 'private-subnet', Subnet: '10.0.0.0/16' })]);
    const hostPorts = json<Port[]>(onHost);
    expect(hostPorts).toHaveLength(3);
    const [webPort] = json<Port[]>(ofServer);
    expect(hostPorts.map((p) => p.ID)).toContain(webPort!.ID);
    const ip = webPort!['Fixed IP Addresses'][0]!.ip_address;
    const web = json<{ Name: string; Networks: Record<string, string[]> }[]>(servers).find((s) => s.Name === 'web-01')!;
    expect(web.Networks).toEqual({ private: [ip] });
  });
});
