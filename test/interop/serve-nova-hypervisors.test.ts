/**
 * Interop: the real `nova` (novaclient 18.1, microversion 2.92) and `openstack` (OSC 6.0, compute 2.1) clients
 * against `ihasim serve`'s `os-hypervisors`: `nova hypervisor-servers` and `nova host-evacuate` use the 2.53
 * `hypervisor_hostname_pattern` + `with_servers` query, `openstack hypervisor list --matching` the < 2.53
 * `/{pattern}/search` route, `openstack hypervisor show` the `/{id}` (404 by name), detail and `/{id}/uptime`
 * routes. See harness/serve/openstack/INTEROP.md.
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

beforeAll(async () => void ({ serve, env } = await startServedCloud('ihasim-serve-hyp-')));

afterAll(async () => {
  await serve?.close();
});

const osc = (...args: string[]) => runClient(openstack.path!, args, { env, timeoutMs: 60_000 });
const novaCli = (...args: string[]) => runClient(nova.path!, args, { env, timeoutMs: 60_000 });

function json<T>(r: RunResult): T {
  if (r.code !== 0) throw new Error(`client failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** The rows of a novaclient `print_list` table: `| a | b |` lines below the header, cells trimmed. */
function tableRows(stdout: string): string[][] {
  const lines = stdout.split('\n').filter((l) => l.startsWith('|'));
  return lines.slice(1).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const onHost = (host: string) => serve.world.nova.instances({ host }).map((i) => i.name).sort();

openstack.describe('interop: hypervisor commands of the real clients against serve', () => {
  it('nova hypervisor-servers, openstack hypervisor show and list --matching', { timeout: 120_000 }, async () => {
    const [servers, show, matching, none, paged, stats, novaMatching, showByName252, showByName292] = await Promise.all([
      novaCli('hypervisor-servers', 'compute-03'),
      osc('hypervisor', 'show', 'compute-03', '-f', 'json'),
      osc('hypervisor', 'list', '--matching', 'compute-0', '-f', 'json'),
      novaCli('hypervisor-servers', 'no-such-host'),
      osc('--os-compute-api-version', '2.53', 'hypervisor', 'list', '--limit', '2', '-f', 'json'),
      osc('hypervisor', 'stats', 'show', '-f', 'json'),
      novaCli('hypervisor-list', '--matching', '03'),
      novaCli('--os-compute-api-version', '2.52', 'hypervisor-show', 'compute-03'),
      novaCli('hypervisor-show', 'compute-03'),
    ]);
    expect(servers.code, servers.stderr).toBe(0);
    const rows = tableRows(servers.stdout);
    expect(rows.map((r) => r[1]).sort()).toEqual(['app-03', 'db-03', 'web-03']);
    expect(rows.every((r) => r[3] === 'compute-03')).toBe(true);
    const shown = json<Record<string, unknown>>(show);
    expect(shown).toMatchObject({ hypervisor_hostname: 'compute-03', service_host: 'compute-03', state: 'up', running_vms: 3 });
    expect(String(shown['uptime'])).not.toBe('');
    expect(json<{ 'Hypervisor Hostname': string }[]>(matching).map((x) => x['Hypervisor Hostname'])).toEqual(
      ['compute-01', 'compute-02', 'compute-03', 'compute-04', 'compute-05', 'compute-06'],
    );
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain("No hypervisor matching 'no-such-host' could be found.");
    expect(json<{ 'Hypervisor Hostname': string }[]>(paged).map((x) => x['Hypervisor Hostname'])).toEqual(['compute-01', 'compute-02']);
    expect(json<{ count: number; running_vms: number }>(stats)).toMatchObject({ count: 6, running_vms: 12 });
    expect(tableRows(novaMatching.stdout).map((r) => r[1])).toEqual(['compute-03']);
    expect(showByName252.code, showByName252.stderr).toBe(0);
    expect(showByName252.stdout).toMatch(/\| hypervisor_hostname +\| compute-03 +\|/);
    // From 2.53 ids are UUIDs: Nova (and so novaclient) refuses a name with 400.
    expect(showByName292.stderr).toContain('Invalid uuid compute-03 (HTTP 400)');
  });

  it('nova host-evacuate evacuates every server of a failed, forced-down host', { timeout: 180_000 }, async () => {
    const res = await fetch(`${serve.endpoints.control}/faults`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'host-power-loss', target: 'compute-02' }),
    });
    expect(res.status).toBe(201);
    expect(onHost('compute-02')).toEqual(['app-02', 'db-02', 'web-02']);
    // The operator confirms the power-off over IPMI first: evacuating before that is a fence-before-evacuate violation.
    const port = serve.endpoints.nodes.find((n) => n.name === 'compute-02')!.ipmiPort!;
    const power = await runClient(ipmitool.path!, ['-I', 'lanplus', '-H', '127.0.0.1', '-p', String(port), '-U', 'admin', '-P', 'password', 'chassis', 'power', 'status']);
    expect(power.stdout).toContain('Chassis Power is off');
    const down = await osc('compute', 'service', 'set', '--down', 'compute-02', 'nova-compute');
    expect(down.code, down.stderr).toBe(0);
    // `/uptime` of a down host is Nova's 400, which OSC's `hypervisor show` does not catch.
    const showDown = await osc('hypervisor', 'show', 'compute-02');
    expect(showDown.code).not.toBe(0);
    expect(showDown.stderr).toContain('Compute service of compute-02 is unavailable at this time.');
    const evac = await novaCli('host-evacuate', 'compute-02');
    expect(evac.code, evac.stderr).toBe(0);
    const rows = tableRows(evac.stdout);
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r[1] === 'True' && r[2] === '')).toBe(true);
    // The world runs at 20×: the rebuilds finish within seconds of wall time.
    for (let i = 0; i < 60 && onHost('compute-02').length > 0; i++) await sleep(500);
    expect(onHost('compute-02')).toEqual([]);
    const truth = ['web-02', 'app-02', 'db-02'].map((n) => serve.world.instancesByName.get(n)!);
    for (let i = 0; i < 60 && truth.some((t) => !t.executingHost()); i++) await sleep(500);
    expect(truth.map((t) => t.executingHost())).toEqual(truth.map(() => expect.stringMatching(/^compute-0[13456]$/)));
    const violations = (await (await fetch(`${serve.endpoints.control}/violations`)).json()) as { violations: unknown[] };
    expect(violations.violations).toEqual([]);
  });
});
