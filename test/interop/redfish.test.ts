/**
 * Interop: the real `fence_redfish` (Debian fence-agents) against the mock Redfish BMC over HTTPS.
 * Exit codes per fencing.py: 0 success (and `status` ON), 2 `status` OFF, 1 for a failure reported by the agent.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startRedfishServer, type RedfishServer } from '../../harness/serve/bmc/redfish/index.js';
import { FakeRedfishBackend, type FakeNodeSpec } from '../support/fake-redfish-backend.js';
import { requireClient, runClient as runRaw, type RunResult } from '../support/interop.js';

const fenceRedfish = requireClient('fence_redfish', 'fence-agents');

interface ClientRun extends RunResult {
  durationMs: number;
}

/** Runs the agent, timing it (60 s bound: the agent itself has no request timeout). */
async function runClient(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ClientRun> {
  const started = Date.now();
  const result = await runRaw(fenceRedfish.path as string, args, { timeoutMs: 60_000, env });
  return { ...result, durationMs: Date.now() - started };
}

const ADMIN = { username: 'admin', password: 'password' };
const OPS = { username: 'ops', password: 's3cret' };

let server: RedfishServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(nodes: FakeNodeSpec[], actionLatencyMs = 0): Promise<FakeRedfishBackend> {
  const backend = new FakeRedfishBackend(nodes, actionLatencyMs);
  server = await startRedfishServer({ backend, port: 0 });
  return backend;
}

/** Runs fence_redfish against the running server. */
function fence(action: string, opts: { node?: string; creds?: typeof ADMIN; extra?: string[] } = {}): Promise<ClientRun> {
  const creds = opts.creds ?? ADMIN;
  const args = ['--ssl-insecure', '-a', '127.0.0.1', '--ipport', String(server?.port), '-l', creds.username,
    '-p', creds.password, '-o', action, ...(opts.extra ?? [])];
  if (opts.node) args.push('--systems-uri', `/redfish/v1/Systems/${opts.node}`);
  return runClient(args);
}

fenceRedfish.describe('interop: fence_redfish against the mock Redfish BMC', () => {
  it('status: ON → exit 0 "Status: ON"; OFF → exit 2 "Status: OFF"', async () => {
    await start([{ name: 'compute-0', power: 'on' }, { name: 'compute-1', power: 'off' }]);
    const on = await fence('status', { node: 'compute-0' });
    expect(on.stdout.trim()).toBe('Status: ON');
    expect(on.code).toBe(0);
    const off = await fence('status', { node: 'compute-1' });
    expect(off.stdout.trim()).toBe('Status: OFF');
    expect(off.code).toBe(2);
  });

  it('off: ForceOff, "Success: Powered OFF", exit 0, the node is off', async () => {
    const backend = await start([{ name: 'compute-0', power: 'on' }]);
    const run = await fence('off', { node: 'compute-0' });
    expect(run.stdout).toContain('Success: Powered OFF');
    expect(run.code).toBe(0);
    expect(backend.power('compute-0')).toBe('off');
    expect(backend.actions).toEqual([{ node: 'compute-0', action: 'off', via: 'redfish' }]);
  });

  it('off with a 1.5 s power latency: the agent polls until Off', async () => {
    const backend = await start([{ name: 'compute-0', power: 'on' }], 1_500);
    const run = await fence('off', { node: 'compute-0' });
    expect(run.stdout).toContain('Success: Powered OFF');
    expect(run.code).toBe(0);
    expect(backend.power('compute-0')).toBe('off');
    expect(run.durationMs).toBeGreaterThanOrEqual(1_500);
  });

  it('on: On, "Success: Powered ON", exit 0; already on → "Success: Already ON" without an action', async () => {
    const backend = await start([{ name: 'compute-0', power: 'off' }]);
    const run = await fence('on', { node: 'compute-0' });
    expect(run.stdout).toContain('Success: Powered ON');
    expect(run.code).toBe(0);
    expect(backend.power('compute-0')).toBe('on');
    const again = await fence('on', { node: 'compute-0' });
    expect(again.stdout).toContain('Success: Already ON');
    expect(backend.actions.map((a) => a.action)).toEqual(['on']);
  });

  it('reboot: ForceOff then On (4.12 reboots by off/on), "Success: Rebooted", exit 0', async () => {
    const backend = await start([{ name: 'compute-0', power: 'on' }]);
    const run = await fence('reboot', { node: 'compute-0' });
    expect(run.stdout).toContain('Success: Rebooted');
    expect(run.code).toBe(0);
    expect(backend.actions.map((a) => a.action)).toEqual(['off', 'on']);
    expect(backend.power('compute-0')).toBe('on');
  });

  it('diag: Nmi (reported as a reboot, no status polling), exit 0', async () => {
    const backend = await start([{ name: 'compute-0', power: 'on' }]);
    const run = await fence('diag', { node: 'compute-0' });
    expect(run.stdout).toContain('Success: Rebooted');
    expect(run.code).toBe(0);
    expect(backend.actions.map((a) => a.action)).toEqual(['diag']);
  });

  it('monitor: exit 0, nothing changes', async () => {
    const backend = await start([{ name: 'compute-0', power: 'on' }]);
    const run = await fence('monitor', { node: 'compute-0' });
    expect(run.code).toBe(0);
    expect(backend.actions).toEqual([]);
  });

  it('discovery without --systems-uri finds the node the credentials open (the last member)', async () => {
    const backend = await start([
      { name: 'compute-0', credentials: ADMIN, power: 'on' },
      { name: 'compute-1', credentials: OPS, power: 'on' },
      { name: 'compute-2', credentials: ADMIN, power: 'on' },
    ]);
    const run = await fence('off', { creds: OPS });
    expect(run.code).toBe(0);
    expect(backend.actions).toEqual([{ node: 'compute-1', action: 'off', via: 'redfish' }]);
  });

  it('wrong password: the agent fails (exit 1), the node keeps its power', async () => {
    const backend = await start([{ name: 'compute-0', power: 'on' }]);
    for (const action of ['status', 'off']) {
      const run = await fence(action, { node: 'compute-0', creds: { username: 'admin', password: 'wrong' } });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('Unable to get PowerState');
    }
    expect(backend.power('compute-0')).toBe('on');
    expect(backend.actions).toEqual([]);
  });

  it('another node\'s credentials cannot fence this node', async () => {
    const backend = await start([{ name: 'compute-0', credentials: ADMIN }, { name: 'compute-1', credentials: OPS }]);
    const run = await fence('off', { node: 'compute-0', creds: OPS });
    expect(run.code).toBe(1);
    expect(backend.actions).toEqual([]);
  });

  it('unreachable BMC: a connection error, the agent fails at once (exit 1)', async () => {
    const backend = await start([{ name: 'compute-0', reachability: 'unreachable' }]);
    const run = await fence('off', { node: 'compute-0' });
    expect(run.code).toBe(1);
    // "Connection aborted" (a reset), not a read timeout: asserted on the error, not on the wall clock.
    expect(run.stderr).toMatch(/Failed: send_get_request: .*Connection aborted/);
    expect(backend.actions).toEqual([]);
  });

  it('broken BMC: 500 with a Redfish error body, the agent fails (exit 1)', async () => {
    const backend = await start([{ name: 'compute-0', reachability: 'broken' }]);
    const run = await fence('status', { node: 'compute-0' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Unable to get PowerState');
    expect(backend.actions).toEqual([]);
  });

  it('--ssl-secure works when the client trusts the generated certificate (REQUESTS_CA_BUNDLE)', async () => {
    await start([{ name: 'compute-0', power: 'on' }]);
    const dir = mkdtempSync(join(tmpdir(), 'ihasim-redfish-'));
    try {
      const caFile = join(dir, 'cert.pem');
      writeFileSync(caFile, server?.cert ?? '');
      const args = ['--ssl-secure', '-a', 'localhost', '--ipport', String(server?.port), '-l', ADMIN.username,
        '-p', ADMIN.password, '-o', 'status', '--systems-uri', '/redfish/v1/Systems/compute-0'];
      const run = await runClient(args, { REQUESTS_CA_BUNDLE: caFile });
      expect(run.stdout.trim()).toBe('Status: ON');
      expect(run.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
