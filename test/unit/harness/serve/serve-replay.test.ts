import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../../harness/cli/main.js';
import { runScenario } from '../../../../harness/run/run-scenario.js';
import { loadScenario, parseScenario } from '../../../../harness/scenario/index.js';
import { writeReplayScenario } from '../../../../harness/serve/replay.js';
import { startServe, type ServeEndpoints } from '../../../../harness/serve/serve.js';
import { writeServeScenario } from '../../../support/serve-scenario.js';

/** A wall clock the test moves by hand: the served world is at exactly the sim time the test says. */
function manualClock(): { now: () => number; advanceWall: (ms: number) => void } {
  let t = 1_700_000_000_000;
  return { now: () => t, advanceWall: (ms) => void (t += ms) };
}

const post = (url: string, body: unknown): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const faultsIn = (records: readonly { t: number; type: string; entity: string; targets?: unknown }[]) =>
  records.filter((r) => r.type === 'fault' || r.type === 'fault.undo').map((r) => ({ t: r.t, type: r.type, kind: r.entity, targets: r.targets }));

describe('serve: the replay scenario written on stop', () => {
  it('replays the faults injected through the control API: same faults at the same sim times, same seed', async () => {
    const clock = manualClock();
    const spec = await loadScenario(writeServeScenario());
    const serve = await startServe({ spec, speed: 10, seed: 42, clock: clock.now, tickMs: 0 });
    const out = join(mkdtempSync(join(tmpdir(), 'ihasim-replay-')), 'replay.yaml');
    let served: ReturnType<typeof faultsIn>;
    try {
      const control = serve.endpoints.control;
      clock.advanceWall(3_000); // sim 30 s
      expect((await post(`${control}/faults`, { kind: 'host-power-loss', target: { count: 1, from: 'compute-0{1..4}' } })).status).toBe(201);
      clock.advanceWall(1_234); // sim 42.34 s
      expect((await post(`${control}/faults`, { kind: 'nic-down', target: 'compute-05', network: 'mgmt', duration: '2m' })).status).toBe(201);
      clock.advanceWall(6_000); // sim 1m42.34s
      expect((await post(`${control}/faults`, { kind: 'bmc-broken', target: 'compute-06' })).status).toBe(201);
      clock.advanceWall(500);
      expect((await post(`${control}/faults/heal`, { id: 3 })).status).toBe(200);
      clock.advanceWall(100);
      serve.session.advance();
      served = faultsIn(serve.world.trace.records);
    } finally {
      await serve.close();
    }
    const replay = await writeReplayScenario(serve.session, out);
    const replayed = runScenario(await loadScenario(out), { seed: 42 });
    const replayedFaults = faultsIn(replayed.world.trace.records).filter((r) => r.t <= serve.world.kernel.now);
    expect(served.map((f) => f.type)).toEqual(['fault', 'fault', 'fault', 'fault.undo']);
    expect(replayedFaults).toEqual(served);
    expect(replay.notReplayable.join(' ')).toContain('stopped at sim');
    expect(readFileSync(out, 'utf8')).toMatch(/^seed: 42$/m);
  });

  it('lists Nova API writes as not replayable, in the message and as comments in the file', async () => {
    const spec = await loadScenario(writeServeScenario());
    const serve = await startServe({ spec, speed: 20, tickMs: 0 });
    const out = join(mkdtempSync(join(tmpdir(), 'ihasim-replay-')), 'replay.yaml');
    try {
      const e: ServeEndpoints = serve.endpoints;
      const auth = await post(`${e.openstack.identityV3}/auth/tokens`, {
        auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { name: 'Default' }, password: 'secret' } } }, scope: { project: { name: 'admin', domain: { name: 'Default' } } } },
      });
      const token = auth.headers.get('x-subject-token')!;
      const res = await fetch(`${e.openstack.compute}/os-services/force-down`, {
        method: 'PUT', headers: { 'content-type': 'application/json', 'x-auth-token': token, 'openstack-api-version': 'compute 2.11' },
        body: JSON.stringify({ host: 'compute-01', binary: 'nova-compute', forced_down: true }),
      });
      expect(res.status).toBe(200);
    } finally {
      await serve.close();
    }
    const replay = await writeReplayScenario(serve.session, out);
    expect(replay.notReplayable[0]).toMatch(/1 Nova\/Keystone API write\(s\).*not replayed/);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^# .*via openstack: PUT \/compute\/v2\.1\/os-services\/force-down \(200\)$/m);
    expect(() => parseScenario(text, out)).not.toThrow();
  });

  it('the CLI writes the file given by --replay-out and prints the replay command', async () => {
    const lines: string[] = [];
    const out = join(mkdtempSync(join(tmpdir(), 'ihasim-replay-')), 'mine.yaml');
    const done = main(['serve', writeServeScenario(), '--speed', '50', '--log-level', 'silent', '--replay-out', out], (s) => lines.push(s));
    const control = await new Promise<string>((resolve) => {
      const poll = setInterval(() => {
        const m = lines.join('\n').match(/control\s+(\S+)/);
        if (m) {
          clearInterval(poll);
          resolve(m[1]!);
        }
      }, 20);
    });
    expect((await post(`${control}/faults`, { kind: 'host-power-loss', target: 'compute-02' })).status).toBe(201);
    process.emit('SIGINT');
    await done;
    const text = lines.join('\n');
    expect(text).toMatch(/replay: npx ihasim run \S*mine\.yaml --seed 11/);
    expect(readFileSync(out, 'utf8')).toMatch(/kind: host-power-loss\n\s+target: compute-02/);
  });
});
