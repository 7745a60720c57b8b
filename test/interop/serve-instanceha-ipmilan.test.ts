/**
 * Issue "mock BMCs", what it must show: in a served scenario with `policy: instanceha`, fencing performed by the
 * real fence_ipmilan against our BMC (this test plays Pacemaker's part for the hung compute) powers the node
 * off in the world; the in-world instance HA then evacuates, and no VM ever runs twice.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadScenario } from '../../harness/scenario/index.js';
import { startServe, type ServeHandle } from '../../harness/serve/serve.js';
import { requireClient, runClient } from '../support/interop.js';
import { SERVE_SCENARIO_YAML, writeServeScenario } from '../support/serve-scenario.js';

const ipmilan = requireClient('fence_ipmilan', 'fence-agents');

// Slow remote monitors: the test fences before the world's Pacemaker notices the hang.
const YAML = SERVE_SCENARIO_YAML.replace('recovery: { policy: external }', [
  'recovery: { policy: instanceha, forceDown: true }',
  'config: { pacemaker: { remoteMonitorInterval: 60s, remoteMonitorTimeout: 60s } }',
].join('\n'));

let serve: ServeHandle;
beforeAll(async () => {
  serve = await startServe({ spec: await loadScenario(writeServeScenario(YAML)), speed: 30 });
});
afterAll(async () => {
  await serve?.close();
});

const control = async <T>(path: string, body?: unknown): Promise<T> => {
  const res = await fetch(`${serve.endpoints.control}${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as T;
};

ipmilan.describe('interop: fence_ipmilan fences a hung compute in a served instance-HA world', () => {
  it('the node powers off in the world, instance HA evacuates, no VM runs twice', { timeout: 120_000 }, async () => {
    await control('/faults', { kind: 'host-hang', target: 'compute-02' });
    const port = String(serve.endpoints.nodes.find((n) => n.name === 'compute-02')!.ipmiPort);
    const off = await runClient(ipmilan.path!, ['--lanplus', '-a', '127.0.0.1', '-u', port, '-l', 'admin', '-p', 'password', '--power-wait=0', '-o', 'off']);
    expect(off).toMatchObject({ code: 0 });
    expect(off.stdout).toMatch(/Success: (Powered|Already) OFF/);
    const host = serve.world.hosts.get('compute-02')!;
    expect(host.poweredOffAtMs).not.toBeNull();
    expect(host.fenceConfirmedAtMs).not.toBeNull();
    const moved = () => ['web-02', 'app-02'].every((n) => {
      const i = serve.world.instancesByName.get(n)!;
      return i.wasServing && i.executingHost() !== 'compute-02';
    });
    for (let i = 0; i < 100 && !moved(); i++) await new Promise((r) => setTimeout(r, 300));
    expect(moved()).toBe(true);
    expect(await control('/violations')).toMatchObject({ violations: [] });
  });
});
