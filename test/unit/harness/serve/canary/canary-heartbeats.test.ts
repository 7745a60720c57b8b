/**
 * Canary emulation against a real HTTP collector (fastify on loopback): served instances whose metadata names
 * the collector heartbeat from their running domains; a double run shows as two boot ids of one uuid.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { Heartbeat } from '../../../../../harness/serve/canary/canary-emitter.js';
import { collectorInUserData, heartbeatUrl } from '../../../../../harness/serve/canary/canary-emitter.js';
import { startServe, type ServeHandle } from '../../../../../harness/serve/serve.js';
import { parseScenario } from '../../../../../harness/scenario/index.js';
import { canaryIntervalMs } from '../../../../../harness/serve/serve-command.js';

interface Received extends Heartbeat {
  order: number;
}

const open: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.allSettled(open.splice(0).reverse().map((o) => o.close()));
});

/** A collector that keeps every heartbeat it is sent, in arrival order. */
async function startCollector(): Promise<{ url: string; beats: Received[]; app: FastifyInstance }> {
  const beats: Received[] = [];
  const app = Fastify();
  app.post('/v1/heartbeat', async (request, reply) => {
    beats.push({ ...(request.body as Heartbeat), order: beats.length });
    return reply.code(204).send();
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  open.push(app);
  const address = app.server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, beats, app };
}

function scenario(collector: string, opts: { policy: string; fault?: string; servers?: string }): string {
  return `ihasim: 1
name: canary
duration: 30m
seed: 5
topology:
  controllers: 3
  computes:
    - { name: "compute-{01..03}", vcpus: 16, ramMb: 65536, diskGb: 1000 }
flavors:
  m1.small: { vcpus: 1, ramMb: 2048, diskGb: 20, extraSpecs: { evacuable: "true" } }
images:
  cirros: {}
servers:
  - { name: "vm-01", flavor: m1.small, image: cirros, storage: shared, host: compute-01, metadata: { ihasim_collector: "${collector}" } }
  - { name: "quiet-01", flavor: m1.small, image: cirros, storage: shared, host: compute-02 }
recovery: { policy: ${opts.policy} }
${opts.fault ? `faults:\n  - ${opts.fault}\n` : ''}`;
}

async function serveWith(yaml: string, speed: number, seed?: number): Promise<ServeHandle> {
  const handle = await startServe({ spec: parseScenario(yaml, 'canary.yaml'), speed, ...(seed !== undefined ? { seed } : {}) });
  open.push(handle);
  return handle;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wait (bounded by a count of polls, not by a time budget) until `done` holds. */
async function until(done: () => boolean, polls = 400): Promise<void> {
  for (let i = 0; i < polls && !done(); i++) await sleep(25);
}

describe('canary heartbeats from served instances', () => {
  it('heartbeats with one stable boot id, consecutive seqs and the host it runs on; the same seed gives the same boot id', { timeout: 25_000 }, async () => {
    const collector = await startCollector();
    const serve = await serveWith(scenario(collector.url, { policy: 'external' }), 50);
    await until(() => collector.beats.length >= 5);
    const beats = collector.beats.slice(0, 5);
    expect(beats).toHaveLength(5);
    const uuid = serve.world.instancesByName.get('vm-01')!.uuid;
    expect(new Set(beats.map((b) => b.uuid))).toEqual(new Set([uuid]));
    expect(new Set(beats.map((b) => b.boot_id)).size).toBe(1);
    expect(beats.map((b) => b.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(beats.every((b) => b.host === 'compute-01' && !Number.isNaN(Date.parse(b.sent_at)))).toBe(true);
    await serve.close();

    const again = await startCollector();
    await serveWith(scenario(again.url, { policy: 'external' }).replace(collector.url, again.url), 50);
    await until(() => again.beats.length >= 1);
    expect(again.beats[0]!.boot_id).toBe(beats[0]!.boot_id);
  });

  it('a double run (no-fence, mgmt partition) shows two boot ids of one uuid heartbeating at once', { timeout: 25_000 }, async () => {
    const collector = await startCollector();
    const fault = '{ at: 10s, kind: network-partition, network: mgmt, groups: [[compute-01], ["controller-*", "compute-02", "compute-03"]] }';
    const serve = await serveWith(scenario(collector.url, { policy: 'no-fence', fault }), 300);
    const uuid = serve.world.instancesByName.get('vm-01')!.uuid;
    /** Whether the first boot id still heartbeats after a second one began. */
    const overlapping = (): boolean => {
      const mine = collector.beats.filter((b) => b.uuid === uuid);
      const first = mine[0]?.boot_id;
      const secondStart = mine.find((b) => b.boot_id !== first);
      return secondStart !== undefined && mine.some((b) => b.boot_id === first && b.order > secondStart.order);
    };
    await until(overlapping, 800);
    expect(overlapping()).toBe(true);
    const mine = collector.beats.filter((b) => b.uuid === uuid);
    const hosts = new Map(mine.map((b) => [b.boot_id, b.host]));
    expect(hosts.size).toBe(2);
    expect([...hosts.values()][0]).toBe('compute-01');
    expect([...hosts.values()][1]).not.toBe('compute-01');
  });

  it('a collector that is down is counted, never hurts serve', { timeout: 25_000 }, async () => {
    const serve = await serveWith(scenario('http://127.0.0.1:9', { policy: 'external' }), 50);
    await until(() => serve.canary.stats.failed >= 3);
    expect(serve.canary.stats.failed).toBeGreaterThanOrEqual(3);
    const r = await fetch(`${serve.endpoints.control}/canaries`);
    expect(await r.json()).toMatchObject({ canaries: 1, sent: 0 });
  });

  it('--canary-interval takes a duration of at least 100ms', () => {
    expect(canaryIntervalMs(undefined)).toBeUndefined();
    expect(canaryIntervalMs('2s')).toBe(2_000);
    expect(() => canaryIntervalMs('fast')).toThrow(/takes a duration/);
    expect(() => canaryIntervalMs('10ms')).toThrow(/below 100ms/);
  });

  it('a collector named in the user data (the canary script\'s IHASIM_COLLECTOR line) heartbeats too', { timeout: 25_000 }, async () => {
    const collector = await startCollector();
    const yaml = scenario('unused', { policy: 'external' })
      .replace('metadata: { ihasim_collector: "unused" }', `userData: "#!/bin/sh\\nIHASIM_COLLECTOR=${collector.url}\\n"`);
    const serve = await serveWith(yaml, 50);
    await until(() => collector.beats.length >= 1);
    const uuid = serve.world.instancesByName.get('vm-01')!.uuid;
    expect(collector.beats[0]).toMatchObject({ uuid, seq: 1, host: 'compute-01' });
    // Nova shows the user data base64-encoded, as it was sent (admin, from 2.3).
    const o = serve.endpoints.openstack;
    const login = await fetch(`${o.identityV3}/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({
      auth: { identity: { methods: ['password'], password: { user: { name: o.username, password: o.password, domain: { name: o.domain } } } }, scope: { project: { name: o.project, domain: { name: o.domain } } } },
    }) });
    const token = login.headers.get('x-subject-token')!;
    const server = (await (await fetch(`${o.compute}/servers/${uuid}`, { headers: { 'x-auth-token': token, 'openstack-api-version': 'compute 2.3' } })).json()) as { server: Record<string, string> };
    expect(Buffer.from(server.server['OS-EXT-SRV-ATTR:user_data'] ?? '', 'base64').toString()).toBe(`#!/bin/sh\nIHASIM_COLLECTOR=${collector.url}\n`);
  });

  it('finds IHASIM_COLLECTOR= and ihasim_collector: lines, not commented ones', () => {
    expect(collectorInUserData('#!/bin/sh\nexport IHASIM_COLLECTOR="http://c:1"\n')).toBe('http://c:1');
    expect(collectorInUserData('#cloud-config\nihasim_collector: http://c:2\n')).toBe('http://c:2');
    expect(collectorInUserData('# IHASIM_COLLECTOR=http://c:3\n')).toBeUndefined();
    expect(collectorInUserData(undefined)).toBeUndefined();
  });

  it('reads only http(s) collector URLs', () => {
    expect(heartbeatUrl('http://10.0.0.5:8080/')).toBe('http://10.0.0.5:8080/v1/heartbeat');
    expect(heartbeatUrl('https://c.example/base')).toBe('https://c.example/base/v1/heartbeat');
    expect(heartbeatUrl('file:///etc/passwd')).toBeNull();
    expect(heartbeatUrl('not a url')).toBeNull();
  });
});
