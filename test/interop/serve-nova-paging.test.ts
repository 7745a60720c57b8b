/**
 * Interop: `openstack server list` (OSC 6.0 over novaclient 18.1) pages `GET /servers/detail` of `ihasim serve`
 * with `--limit`/`--marker`, and `--limit -1` follows pages until an empty one (novaclient's loop). Nova's order:
 * newest first. See harness/serve/openstack/INTEROP.md.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadScenario } from '../../harness/scenario/index.js';
import { startServe, type ServeHandle } from '../../harness/serve/serve.js';
import { requireClient, runClient, type RunResult } from '../support/interop.js';
import { writeServeScenario } from '../support/serve-scenario.js';
import { startServedCloud } from '../support/openstack-env.js';

/** 1,050 servers: more than one page at Nova's max_limit of 1000. */
const BIG_CLOUD_YAML = `ihasim: 1
name: serve-big
duration: 2h
seed: 3
topology:
  controllers: 3
  computes:
    - { name: "compute-{01..20}", vcpus: 64, ramMb: 262144, diskGb: 4000 }
flavors:
  m1.tiny: { vcpus: 1, ramMb: 512, diskGb: 1 }
images:
  cirros: {}
servers:
  - { name: "vm-{0001..1050}", flavor: m1.tiny, image: cirros, host: "compute-{01..20}" }
recovery: { policy: external }
`;

const openstack = requireClient('openstack', 'python3-openstackclient');

let serve: ServeHandle;
let env: NodeJS.ProcessEnv;

beforeAll(async () => void ({ serve, env } = await startServedCloud('ihasim-serve-paging-')));

afterAll(async () => {
  await serve?.close();
});

const osc = (...args: string[]) => runClient(openstack.path!, args, { env, timeoutMs: 60_000 });

function ids(r: RunResult): string[] {
  if (r.code !== 0) throw new Error(`openstack failed (${r.code}): ${r.stderr}`);
  return (JSON.parse(r.stdout) as { ID: string }[]).map((s) => s.ID);
}

openstack.describe('interop: openstack server list pages through serve', () => {
  it('--limit 2 --marker <uuid> returns the two servers after the marker; --limit -1 returns them all', { timeout: 120_000 }, async () => {
    const [all, everyPage] = await Promise.all([
      osc('server', 'list', '--all-projects', '-f', 'json'),
      osc('server', 'list', '--all-projects', '--limit', '-1', '-f', 'json'),
    ]);
    const order = ids(all);
    expect(order).toHaveLength(12);
    expect(ids(everyPage)).toEqual(order);
    const marker = order[3]!;
    const page = await osc('server', 'list', '--all-projects', '--limit', '2', '--marker', marker, '-f', 'json');
    expect(ids(page)).toEqual(order.slice(4, 6));
    const bad = await osc('server', 'list', '--all-projects', '--limit', '2', '--marker', '00000000-0000-4000-8000-000000000000');
    expect(bad.code).not.toBe(0);
  });

  it('on 1,050 servers: a plain list stops at max_limit (1000, as novaclient does not follow links); --limit -1 pages to all', { timeout: 180_000 }, async () => {
    const big = await startServe({ spec: await loadScenario(writeServeScenario(BIG_CLOUD_YAML)), speed: 1 });
    try {
      const bigEnv = { ...env, OS_AUTH_URL: big.endpoints.openstack.authUrl };
      const list = (...extra: string[]) => runClient(openstack.path!, ['server', 'list', '--all-projects', '-f', 'json', '-c', 'ID', ...extra], { env: bigEnv, timeoutMs: 120_000 });
      const [plain, all] = await Promise.all([list(), list('--limit', '-1')]);
      expect(ids(plain)).toHaveLength(1000);
      const every = ids(all);
      expect(every).toHaveLength(1050);
      expect(new Set(every).size).toBe(1050);
    } finally {
      await big.close();
    }
  });
});
