/**
 * Interop: `ihasim serve` (in-process, `startServe`) driven by Debian's real, unmodified fence agents, as
 * Pacemaker's instance-HA stack would drive a real cloud, with `recovery.policy: external` so that only they
 * recover anything:
 *   fence_ipmilan --lanplus (power fencing over IPMI) → fence_compute (force-down + disable + attrd evacuate=yes)
 *   → fence_evacuate (evacuate the evacuable instances) → attrd evacuate=no → fence_compute -o on (unfence).
 * Then the world's truth, the safety checker and the run report must agree with what the agents did.
 *
 * Debian 12's fence_compute/fence_evacuate need two crutches (test/support): a sitecustomize.py restoring
 * `inspect.getargspec` (removed in Python 3.11), and an `attrd_updater` stand-in that talks to the control API.
 * The command lines are those of harness/serve/INTEROP-SERVE.md.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadScenario } from '../../harness/scenario/index.js';
import { startServe, type ServeHandle } from '../../harness/serve/serve.js';
import { requireClient, runClient, type RunResult } from '../support/interop.js';
import { writeServeScenario } from '../support/serve-scenario.js';

const clients = [requireClient('fence_ipmilan', 'fence-agents'), requireClient('fence_compute', 'fence-agents'), requireClient('fence_evacuate', 'fence-agents')];
const [ipmilan, compute, evacuate] = clients as [typeof clients[0], typeof clients[0], typeof clients[0]];
/** One gate for the suite: the first missing client skips it (or fails it under CI=true). */
const gate = clients.find((c) => c.path === undefined) ?? compute;

const SUPPORT = resolve(import.meta.dirname, '../support');
const SPEED = 30;

let serve: ServeHandle;
let env: NodeJS.ProcessEnv;
let attrdLog: string;

beforeAll(async () => {
  const spec = await loadScenario(writeServeScenario());
  serve = await startServe({ spec, speed: SPEED });
  const dir = mkdtempSync(join(tmpdir(), 'ihasim-serve-agents-'));
  attrdLog = join(dir, 'attrd.log');
  env = {
    HOME: dir,
    PATH: [join(SUPPORT, 'bin'), process.env.PATH ?? '', '/usr/sbin', '/sbin'].join(delimiter),
    PYTHONPATH: [join(SUPPORT, 'python-shim'), process.env.PYTHONPATH].filter(Boolean).join(delimiter),
    IHASIM_CONTROL_URL: serve.endpoints.control,
    IHASIM_ATTRD_LOG: attrdLog,
    NO_PROXY: '127.0.0.1',
    no_proxy: '127.0.0.1',
  };
});

afterAll(async () => {
  await serve?.close();
});

async function control<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${serve.endpoints.control}${path}`, body === undefined ? {} : {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface HostTruth { name: string; power: string; fenceConfirmedAtMs: number | null; nova: { status: string; forcedDown: boolean; state: string } }
interface InstanceTruth { name: string; nova: { host: string }; truth: { executingOn: string[]; serving: boolean } }
const host = async (name: string) => (await control<{ hosts: HostTruth[] }>('/truth')).hosts.find((h) => h.name === name)!;
const instances = async () => (await control<{ instances: InstanceTruth[] }>('/instances')).instances;

const ipmiPort = (node: string) => String(serve.endpoints.nodes.find((n) => n.name === node)!.ipmiPort);
const fenceIpmilan = (node: string, ...args: string[]): Promise<RunResult> =>
  runClient(ipmilan.path!, ['--lanplus', '-a', '127.0.0.1', '-u', ipmiPort(node), '-l', 'admin', '-p', 'password', '--power-wait=0', ...args], { env });
const novaAgent = (path: string, node: string, ...args: string[]): Promise<RunResult> => runClient(path, [
  '--auth-url', serve.endpoints.openstack.authUrl, '--username', 'admin', '--password', 'secret', '--tenant-name', 'admin',
  '--user-domain', 'Default', '--project-domain', 'Default', '--endpoint-type', 'public', '-n', node, ...args,
], { env });

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

gate.describe('interop: serve driven by fence_ipmilan, fence_compute, fence_evacuate', () => {
  it('fence_ipmilan --lanplus finds the powered-off compute off and the status read confirms the fence', async () => {
    await control('/faults', { kind: 'host-power-loss', target: 'compute-03' });
    expect(await fenceIpmilan('compute-03', '-o', 'status')).toMatchObject({ code: 2, stdout: 'Status: OFF\n' });
    expect(await fenceIpmilan('compute-03', '-o', 'off')).toMatchObject({ code: 0, stdout: 'Success: Already OFF\n' });
    const h = await host('compute-03');
    expect(h.power).toBe('off');
    expect(h.fenceConfirmedAtMs).not.toBeNull();
  });

  it('fence_compute marks the host down, fence_evacuate rebuilds its evacuable instances elsewhere, unfencing re-enables it', { timeout: 90_000 }, async () => {
    expect(await novaAgent(compute.path!, 'compute-03', '-o', 'status')).toMatchObject({ code: 0, stdout: 'Status: ON\n' });
    expect((await novaAgent(compute.path!, 'compute-03', '-o', 'off')).code).toBe(0);
    expect((await host('compute-03')).nova).toMatchObject({ status: 'disabled', forcedDown: true, state: 'down' });
    expect(await control('/attrd?node=compute-03&name=evacuate')).toMatchObject({ value: 'yes' });
    expect(readFileSync(attrdLog, 'utf8')).toContain('-p -n evacuate -Q -N compute-03 -U yes');
    expect(await novaAgent(compute.path!, 'compute-03', '-o', 'status')).toMatchObject({ code: 2, stdout: 'Status: OFF\n' });

    expect((await novaAgent(evacuate.path!, 'compute-03', '-o', 'off')).code).toBe(0);
    const rebuilt = await waitFor('web-03 and app-03 to run elsewhere', async () => {
      const all = await instances();
      const moved = all.filter((i) => ['web-03', 'app-03'].includes(i.name) && i.truth.serving && i.truth.executingOn.length === 1 && i.truth.executingOn[0] !== 'compute-03');
      return moved.length === 2 ? all : undefined;
    });
    for (const name of ['web-03', 'app-03']) {
      const i = rebuilt.find((x) => x.name === name)!;
      expect(i.nova.host).toBe(i.truth.executingOn[0]);
    }
    // db-03's flavor is not evacuable: fence_evacuate leaves it where it died.
    expect(rebuilt.find((x) => x.name === 'db-03')).toMatchObject({ nova: { host: 'compute-03' }, truth: { executingOn: [], serving: false } });

    // NovaEvacuate's last step, through the attrd_updater stand-in, then unfencing.
    expect((await runClient(join(SUPPORT, 'bin', 'attrd_updater'), ['-n', 'evacuate', '-N', 'compute-03', '-U', 'no'], { env })).code).toBe(0);
    expect((await novaAgent(compute.path!, 'compute-03', '-o', 'on')).code).toBe(0);
    // Enabled again; force-up refused (400) while the evacuations are `done`: the host stays forced down.
    expect((await host('compute-03')).nova).toMatchObject({ status: 'enabled', forcedDown: true, state: 'down' });
  });

  it('the safety checker found nothing and the report agrees with what the agents did', async () => {
    expect(await control('/violations')).toMatchObject({ violations: [] });
    const report = await control<{ verdict: string; violations: unknown[]; instances: { name: string; outcome: string; reason: string | null; fromHost: string; toHost: string }[]; metrics: { evacuations: number; recovery: { count: number } } }>('/report');
    expect(report.verdict).toBe('pass');
    expect(report.violations).toEqual([]);
    const byName = new Map(report.instances.map((i) => [i.name, i]));
    for (const name of ['web-03', 'app-03']) {
      expect(byName.get(name)).toMatchObject({ outcome: 'recovered', fromHost: 'compute-03' });
      expect(byName.get(name)!.toHost).not.toBe('compute-03');
    }
    expect(byName.get('db-03')).toMatchObject({ outcome: 'not-recovered', reason: 'not-evacuated' });
    expect(report.metrics.evacuations).toBe(2);
    expect(report.metrics.recovery.count).toBe(2);
  });

  it('fence_ipmilan powers off a hung compute, and its status poll confirms the fence', async () => {
    const { fault } = await control<{ fault: { atMs: number } }>('/faults', { kind: 'host-hang', target: 'compute-01' });
    expect(await fenceIpmilan('compute-01', '-o', 'off', '--stonith-status-sleep=0')).toMatchObject({ code: 0, stdout: 'Success: Powered OFF\n' });
    const h = await host('compute-01');
    expect(h.power).toBe('off');
    expect(h.fenceConfirmedAtMs).toBeGreaterThan(fault.atMs);
    expect(await control('/violations')).toMatchObject({ violations: [] });
  });
});
