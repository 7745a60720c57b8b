import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTROL_PREFIX, controlApi } from '../../../../harness/serve/control-api.js';
import { ServeSession } from '../../../../harness/serve/serve-session.js';
import { serveSpec } from '../../../support/serve-scenario.js';

let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** The control API over a session whose wall clock the test moves (no timer: advances happen per request). */
async function setup(opts: { token?: string; speed?: number } = {}) {
  let wall = 1_700_000_000_000;
  const session = new ServeSession(serveSpec(), { speed: opts.speed ?? 10, clock: () => wall, tickMs: 0 });
  app = Fastify();
  await app.register(controlApi, { prefix: CONTROL_PREFIX, session, endpoints: () => ({ stub: true }), ...(opts.token ? { token: opts.token } : {}) });
  const tick = (ms: number) => void (wall += ms);
  const call = (method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    app!.inject({ method, url: `${CONTROL_PREFIX}${url}`, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { session, tick, call };
}

describe('control API: faults', () => {
  it('injects a fault in scenario form now, answering 201 with its resolved targets', async () => {
    const { call, tick } = await setup();
    tick(6_000); // 60 s of sim time
    const r = await call('POST', '/faults', { kind: 'host-power-loss', target: 'compute-0{2..3}' });
    expect(r.statusCode).toBe(201);
    expect(r.json().fault).toMatchObject({ id: 1, kind: 'host-power-loss', targets: ['compute-02', 'compute-03'], atMs: 60_000 });
    const truth = (await call('GET', '/truth')).json();
    expect(truth.hosts.find((h: { name: string }) => h.name === 'compute-03')).toMatchObject({ power: 'off', mains: false, state: 'off' });
    expect((await call('GET', '/faults')).json().faults).toHaveLength(1);
  });

  it.each([
    [{ kind: 'host-power-los', target: 'compute-01' }, 'IHASIM_SCENARIO_SCHEMA', 'kind', /did you mean `host-power-loss`/],
    [{ kind: 'host-power-loss', target: 'compute-33' }, 'IHASIM_FAULT_TARGET', 'target', /no compute matches `compute-33`/],
    [{ kind: 'host-power-loss' }, 'IHASIM_FAULT_TARGET', '(fault)', /needs a `target`/],
    [{ kind: 'nic-down', target: 'compute-01' }, 'IHASIM_SCENARIO_SEMANTIC', '(fault)', /needs `network`/],
    [{ kind: 'host-power-loss', target: 'compute-01', color: 'red' }, 'IHASIM_SCENARIO_SCHEMA', 'color', /unknown key/],
  ])('answers 400 with the loader\'s words for %j', async (body, code, path, message) => {
    const { call } = await setup();
    const r = await call('POST', '/faults', body);
    expect(r.statusCode).toBe(400);
    const err = r.json().error;
    expect(err.code).toBe(code);
    expect(err.details[0]).toMatchObject({ path });
    expect(err.details[0].message).toMatch(message);
  });

  it('refuses `at` (faults are injected now) and bodies that are not one fault', async () => {
    const { call } = await setup();
    expect((await call('POST', '/faults', { at: '5m', kind: 'host-power-loss', target: 'compute-01' })).json().error.message).toMatch(/`at` does not apply/);
    expect((await call('POST', '/faults', [{ kind: 'host-power-loss' }])).statusCode).toBe(400);
    const raw = await app!.inject({ method: 'POST', url: `${CONTROL_PREFIX}/faults`, headers: { 'content-type': 'application/json' }, payload: '{nope' });
    expect(raw.statusCode).toBe(400);
  });

  it('heals a partition by fault id, every network, or one network', async () => {
    const { call, session } = await setup();
    const p = await call('POST', '/faults', { kind: 'network-partition', network: 'mgmt', groups: [['compute-01'], ['controller-*', 'compute-0{2..6}']] });
    expect(p.statusCode).toBe(201);
    expect(session.world.nets.active()).toHaveLength(1);
    expect((await call('POST', '/faults/heal', { id: 1 })).json()).toMatchObject({ healed: 'fault 1 (network-partition)' });
    expect(session.world.nets.active()).toHaveLength(0);
    await call('POST', '/faults', { kind: 'network-partition', network: 'ipmi', groups: [['compute-01'], ['controller-*']] });
    expect((await call('POST', '/faults/heal', { network: 'ipmi' })).json()).toEqual({ healed: 'ipmi' });
    expect((await call('POST', '/faults/heal', {})).json()).toEqual({ healed: 'all networks' });
  });

  it('undoes a fault by id with its catalogue undo, once', async () => {
    const { call, session } = await setup();
    await call('POST', '/faults', { kind: 'bmc-unreachable', target: 'compute-04' });
    expect(session.world.bmcs.get('compute-04')!.condition).toBe('unreachable');
    expect((await call('POST', '/faults/heal', { id: 1 })).statusCode).toBe(200);
    expect(session.world.bmcs.get('compute-04')!.condition).toBe('ok');
    expect((await call('POST', '/faults/heal', { id: 1 })).json().error.message).toMatch(/already undone/);
    expect((await call('POST', '/faults/heal', { id: 7 })).statusCode).toBe(400);
    expect((await call('POST', '/faults/heal', { network: 'wifi' })).statusCode).toBe(400);
    await call('POST', '/faults', { kind: 'guest-panic', target: 'web-01' });
    expect((await call('POST', '/faults/heal', { id: 2 })).json().error.message).toMatch(/has no undo/);
  });

  it('refuses new faults once the world froze at its duration (409)', async () => {
    const { call, tick, session } = await setup({ speed: 1000 });
    tick(session.spec.durationMs);
    const r = await call('POST', '/faults', { kind: 'host-power-loss', target: 'compute-01' });
    expect(r.statusCode).toBe(409);
    expect((await call('GET', '/status')).json()).toMatchObject({ frozen: 'ended', atMs: session.spec.durationMs });
  });
});

describe('control API: views', () => {
  it('shows Nova beside the truth per instance, filtered by host', async () => {
    const { call, tick } = await setup();
    await call('POST', '/faults', { kind: 'host-power-loss', target: 'compute-01' });
    tick(100);
    const body = (await call('GET', '/instances?host=compute-01')).json();
    expect(body.instances.map((i: { name: string }) => i.name).sort()).toEqual(['app-01', 'db-01', 'web-01']);
    expect(body.instances[0]).toMatchObject({ nova: { host: 'compute-01', vmState: 'active' }, truth: { executingOn: [], serving: false }, consistent: false });
    expect((await call('GET', '/instances')).json().instances).toHaveLength(12);
  });

  it('reports safety violations as the checker finds them, in /violations, /report and /metrics', async () => {
    const { call, tick, session } = await setup();
    expect((await call('GET', '/violations')).json().violations).toEqual([]);
    await call('POST', '/faults', { kind: 'host-power-loss', target: 'compute-01' });
    tick(1_000);
    // An agent that evacuates without fencing: force down, then evacuate straight away.
    const nova = session.world.nova;
    nova.forceDown('compute-01', 'nova-compute', true);
    const web01 = nova.instances({ host: 'compute-01' }).find((i) => i.name === 'web-01')!;
    nova.evacuate(web01.uuid, {});
    const violations = (await call('GET', '/violations')).json().violations;
    expect(violations).toEqual([expect.objectContaining({ invariant: 'fence-before-evacuate', entities: ['web-01', 'compute-01'] })]);
    const report = (await call('GET', '/report')).json();
    expect(report).toMatchObject({ ihasim: 1, kind: 'run', scenario: 'serve-external', verdict: 'fail', exitCode: 1, policy: 'external' });
    const metrics = await call('GET', '/metrics');
    expect(metrics.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(metrics.body).toContain('ihasim_violations_total{invariant="fence-before-evacuate"} 1');
    expect(metrics.body).toContain('ihasim_faults_injected_total{kind="host-power-loss"} 1');
  });

  it('serves status, endpoints and the truth of partitions and BMCs', async () => {
    const { call } = await setup();
    await call('POST', '/faults', { kind: 'bmc-broken', target: 'compute-02' });
    const truth = (await call('GET', '/truth')).json();
    expect(truth.hosts[1].bmc).toMatchObject({ condition: 'broken', reachability: 'broken' });
    expect(truth.controllers).toHaveLength(3);
    expect((await call('GET', '/endpoints')).json()).toEqual({ stub: true });
    expect((await call('GET', '/status')).json()).toMatchObject({ speed: 10, frozen: null, policy: 'external', kernelErrors: { total: 0 } });
  });

  it('streams the trace as Server-Sent Events, ending when the world froze', async () => {
    const { call, tick, session } = await setup({ speed: 1000 });
    await call('POST', '/faults', { kind: 'host-power-loss', target: 'compute-01' });
    tick(session.spec.durationMs);
    const r = await call('GET', '/events');
    expect(r.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = r.body.split('\n\n').filter(Boolean);
    expect(events[0]).toMatch(/^id: 0\nevent: trace\ndata: \{"t":\d+,"type":"fault","entity":"host-power-loss"/);
    expect(events.at(-1)).toMatch(/^event: end\ndata: \{"atMs":7200000,"why":"ended"\}/);
    const resumed = await call('GET', '/events', undefined, { 'last-event-id': '0' });
    expect(resumed.body.startsWith('id: 1\n')).toBe(true);
  });
});

describe('control API: attrd and auth', () => {
  it('sets and reads attrd values in the world', async () => {
    const { call, session } = await setup();
    expect((await call('GET', '/attrd?node=compute-03&name=evacuate')).json()).toEqual({ node: 'compute-03', name: 'evacuate', value: '' });
    expect((await call('POST', '/attrd', { node: 'compute-03', name: 'evacuate', value: 'yes' })).statusCode).toBe(200);
    expect(session.world.pacemaker.attrd.get('compute-03', 'evacuate')).toBe('yes');
    expect((await call('GET', '/attrd?node=compute-03&name=evacuate')).json().value).toBe('yes');
    expect((await call('POST', '/attrd', { node: 'compute-99', name: 'evacuate', value: 'yes' })).statusCode).toBe(400);
    expect((await call('POST', '/attrd', { node: 'compute-03', name: 'evacuate' })).statusCode).toBe(400);
  });

  it('requires the static token when one is set', async () => {
    const { call } = await setup({ token: 's3cret' });
    expect((await call('GET', '/status')).statusCode).toBe(401);
    expect((await call('GET', '/status', undefined, { authorization: 'Bearer wrong' })).statusCode).toBe(401);
    expect((await call('GET', '/status', undefined, { authorization: 'Bearer s3cret' })).statusCode).toBe(200);
    expect((await call('GET', '/status', undefined, { 'x-ihasim-token': 's3cret' })).statusCode).toBe(200);
  });
});
