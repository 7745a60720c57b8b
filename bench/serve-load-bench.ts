/**
 * `ihasim serve` under load, as a repeatable benchmark. Run after `npm run build`:
 *
 *   node --expose-gc dist/bench/serve-load-bench.js [--duration-s 30] [--connections 50] [--speed 50]
 *
 * (`npm run bench serve-load` runs it for 10 s.) Everything targets 127.0.0.1 and every loop is bounded.
 * 1. HTTP: autocannon (a second process) with `--connections` on Nova's `servers/detail?all_tenants=1` for
 *    `--duration-s`, while faults are injected through the control API every 250 ms; req/s, latency, errors,
 *    RSS before/after, and whether the world stayed consistent (no kernel error, every server still known,
 *    the report builds).
 * 2. IPMI: 200 lanplus sessions held at once over 10 BMCs (20 each), a status read in each, then closed:
 *    how many opened, how many stayed held (leaked) after Close Session.
 * 3. A 10 MB body to Nova and to the control API: 413, and the server still answers.
 * 4. Server-Sent Events: 100 clients that never read: how many were admitted (cap 64), refused (503), and the
 *    stream count after they go.
 */
import { execFile } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseScenario } from '../harness/scenario/index.js';
import { startServe, type ServeHandle } from '../harness/serve/serve.js';
import { IpmiTestClient } from '../test/support/ipmi-test-client.js';
import { cloudYaml } from './scenarios.js';

const autocannon = join(import.meta.dirname, '../../node_modules/autocannon/autocannon.js');
const MiB = 1024 * 1024;

export interface ServeLoadArgs {
  durationS: number;
  connections: number;
  speed: number;
}

function parseArgs(argv: readonly string[]): ServeLoadArgs {
  const get = (flag: string, dflt: number): number => {
    const i = argv.indexOf(flag);
    const v = i >= 0 ? Number(argv[i + 1]) : dflt;
    if (!(v > 0)) throw new Error(`${flag} must be a positive number`);
    return v;
  };
  return { durationS: get('--duration-s', 30), connections: get('--connections', 50), speed: get('--speed', 50) };
}

const rssMiB = (): number => {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round(process.memoryUsage().rss / MiB);
};

async function token(base: string): Promise<string> {
  const res = await fetch(`${base}/identity/v3/auth/tokens`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { name: 'Default' }, password: 'secret' } } }, scope: { project: { name: 'admin', domain: { name: 'Default' } } } } }),
  });
  return res.headers.get('x-subject-token')!;
}

/** The faults the injector cycles through (each heals itself), on compute `n`. */
function faultFor(i: number, computes: number): Record<string, unknown> {
  const target = `compute-${String((i % computes) + 1).padStart(2, '0')}`;
  const kinds = [
    { kind: 'host-power-loss', target, duration: '2m' },
    { kind: 'nic-down', target, network: 'mgmt', duration: '1m' },
    { kind: 'bmc-broken', target, duration: '30s' },
    { kind: 'nova-compute-crash', target, duration: '90s' },
  ];
  return kinds[i % kinds.length]!;
}

/** Inject a fault every 250 ms until `stop()`; counts what the control API answered. */
function startInjector(control: string, computes: number): { stop: () => Promise<{ injected: number; refused: number }> } {
  let i = 0;
  let refused = 0;
  let inFlight = Promise.resolve();
  const timer = setInterval(() => {
    const n = i++;
    inFlight = fetch(`${control}/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faultFor(n, computes)) })
      .then((r) => void (r.status !== 201 && refused++), () => void refused++);
  }, 250);
  return {
    stop: async () => {
      clearInterval(timer);
      await inFlight;
      return { injected: i - refused, refused };
    },
  };
}

async function httpLoad(serve: ServeHandle, args: ServeLoadArgs, computes: number, servers: number): Promise<Record<string, unknown>> {
  const base = `http://127.0.0.1:${serve.endpoints.port}`;
  const headers = { 'X-Auth-Token': await token(base), 'X-OpenStack-Nova-API-Version': '2.53' };
  const rssBefore = rssMiB();
  const injector = startInjector(serve.endpoints.control, computes);
  const cli = [autocannon, '-c', String(args.connections), '-d', String(args.durationS), '-j', ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]),
    `${base}/compute/v2.1/servers/detail?all_tenants=1`];
  const { stdout } = await promisify(execFile)(process.execPath, cli, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const faults = await injector.stop();
  const r = JSON.parse(stdout);
  const status = (await (await fetch(`${serve.endpoints.control}/status`)).json()) as { atMs: number; kernelErrors: { total: number } };
  const instances = (await (await fetch(`${serve.endpoints.control}/instances`)).json()) as unknown[] | { instances: unknown[] };
  const instanceCount = Array.isArray(instances) ? instances.length : instances.instances.length;
  const report = serve.session.report();
  return {
    connections: args.connections, durationS: args.durationS, speed: args.speed,
    requestsPerSec: Math.round(r.requests.average), totalRequests: r.requests.total, p50Ms: r.latency.p50, p99Ms: r.latency.p99,
    errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx,
    faultsInjected: faults.injected, faultsRefused: faults.refused, simReachedMs: status.atMs,
    rssMiB: { before: rssBefore, after: rssMiB() },
    consistent: status.kernelErrors.total === 0 && instanceCount === servers && typeof report.verdict === 'string',
    kernelErrors: status.kernelErrors.total, instancesKnown: `${instanceCount}/${servers}`, safetyViolations: report.violations.length,
  };
}

async function heldIpmiSessions(serve: ServeHandle, total = 200, bmcs = 10): Promise<Record<string, unknown>> {
  const clients: IpmiTestClient[] = [];
  let opened = 0;
  let statusOk = 0;
  const nodes = serve.endpoints.nodes.slice(0, bmcs);
  for (let i = 0; i < total; i++) {
    const node = nodes[i % nodes.length]!;
    const c = new IpmiTestClient({ port: node.ipmiPort!, timeoutMs: 2_000 });
    clients.push(c);
    try {
      await c.open();
      opened++;
    } catch {
      // counted as not opened
    }
  }
  const heldAtOnce = serve.ipmiActiveSessions();
  // Answers other than OK, by completion code (0xff: a BMC broken by a fault still active) or `timeout`.
  const notOk: Record<string, number> = {};
  for (const c of clients) {
    if (!c.keys) continue;
    const cc = (await c.command(0x00, 0x01))?.cc;
    if (cc === 0) statusOk++;
    else {
      const key = cc === undefined ? 'timeout' : `0x${cc.toString(16)}`;
      notOk[key] = (notOk[key] ?? 0) + 1;
    }
  }
  for (const c of clients) {
    if (c.keys) {
      const id = Buffer.alloc(4);
      id.writeUInt32LE(c.sidC >>> 0);
      await c.command(0x06, 0x3c, id);
    }
    c.close();
  }
  return { sessions: total, bmcs, opened, heldAtOnce, statusOk, statusNotOk: notOk, leakedAfterClose: serve.ipmiActiveSessions() };
}

async function bigBody(serve: ServeHandle): Promise<Record<string, unknown>> {
  const body = JSON.stringify({ pad: 'x'.repeat(10 * MiB) });
  const post = (url: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then((r) => r.status, (e: Error) => `error: ${e.message}`);
  const base = `http://127.0.0.1:${serve.endpoints.port}`;
  // With a token: without one Nova answers 401 before reading the body.
  const nova = await post(`${base}/compute/v2.1/servers/x/action`, { 'x-auth-token': await token(base) });
  const control = await post(`${serve.endpoints.control}/faults`);
  const after = (await fetch(`${serve.endpoints.control}/status`)).status;
  return { bodyMiB: 10, nova, control, statusAfter: after };
}

function slowReader(serve: ServeHandle): Promise<{ socket: Socket; status: number }> {
  return new Promise((resolve) => {
    const socket = connect(serve.endpoints.port, '127.0.0.1', () => {
      socket.write(`GET /ihasim/v1/events HTTP/1.1\r\nHost: 127.0.0.1:${serve.endpoints.port}\r\n\r\n`);
      socket.once('data', (d: Buffer) => {
        socket.pause(); // never read again
        resolve({ socket, status: Number(/^HTTP\/1\.1 (\d+)/.exec(d.toString('latin1'))?.[1] ?? 0) });
      });
    });
    socket.on('error', () => {});
  });
}

async function sseSlowReaders(serve: ServeHandle, count = 100): Promise<Record<string, unknown>> {
  const rssBefore = rssMiB();
  const readers = [];
  for (let i = 0; i < count; i++) readers.push(await slowReader(serve));
  const streams = async () => ((await (await fetch(`${serve.endpoints.control}/status`)).json()) as { eventStreams: { clients: number } }).eventStreams.clients;
  const open = await streams();
  const rssWithReaders = rssMiB();
  for (const r of readers) r.socket.destroy();
  let after = -1;
  for (let i = 0; i < 100 && after !== 0; i++) {
    after = await streams();
    if (after !== 0) await new Promise((r) => setTimeout(r, 20));
  }
  return { clients: count, admitted: readers.filter((r) => r.status === 200).length, refused503: readers.filter((r) => r.status === 503).length,
    openAtOnce: open, openAfterClose: after, rssMiB: { before: rssBefore, withReaders: rssWithReaders, after: rssMiB() } };
}

/** The whole benchmark; one JSON object. */
export async function serveLoadBench(args: ServeLoadArgs): Promise<Record<string, unknown>> {
  const computes = 20;
  const perHost = 10;
  const spec = parseScenario(cloudYaml({ hosts: computes, perHost, zones: 2, duration: '24h', faults: '' }).replace('policy: instanceha', 'policy: external'));
  const serve = await startServe({ spec, speed: args.speed });
  try {
    return {
      http: await httpLoad(serve, args, computes, computes * perHost),
      ipmi: await heldIpmiSessions(serve),
      bigBody: await bigBody(serve),
      sseSlowReaders: await sseSlowReaders(serve),
    };
  } finally {
    await serve.close();
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  console.log(JSON.stringify({ bench: 'serve-load', ...(await serveLoadBench(parseArgs(process.argv.slice(2)))) }, null, 2));
}
