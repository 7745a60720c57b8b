import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import Fastify from 'fastify';
import { parseScenario } from '../harness/scenario/index.js';
import { startServe } from '../harness/serve/serve.js';
import { cloudYaml } from './scenarios.js';

const autocannon = join(import.meta.dirname, '../../node_modules/autocannon/autocannon.js');

interface Load {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

/** Load from a second process (autocannon's CLI), 10 connections for `seconds` (async: the servers live here). */
async function load(url: string, headers: Record<string, string>, seconds: number): Promise<Load> {
  const args = [autocannon, '-c', '10', '-d', String(seconds), '-j', ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]), url];
  const { stdout } = await promisify(execFile)(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const r = JSON.parse(stdout);
  return { requestsPerSec: Math.round(r.requests.average), p50Ms: r.latency.p50, p99Ms: r.latency.p99, non2xx: r.non2xx };
}

async function token(keystone: string): Promise<string> {
  const res = await fetch(`${keystone}/v3/auth/tokens`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { name: 'Default' }, password: 'secret' } } }, scope: { project: { name: 'admin', domain: { name: 'Default' } } } } }),
  });
  return res.headers.get('x-subject-token')!;
}

/** `ihasim serve` on 1,000 hosts / 20,000 servers vs fastify's hello world, both measured by autocannon. */
export async function serveBench(seconds = 10): Promise<Record<string, unknown>> {
  const hello = Fastify();
  hello.get('/', async () => ({ hello: 'world' }));
  const helloUrl = await hello.listen({ port: 0, host: '127.0.0.1' });
  const spec = parseScenario(cloudYaml({ hosts: 1000, perHost: 20, zones: 10, duration: '24h', faults: '' }).replace('policy: instanceha', 'policy: external'));
  const serve = await startServe({ spec, speed: 1 });
  const base = `http://127.0.0.1:${serve.endpoints.port}`;
  const headers = { 'X-Auth-Token': await token(`${base}/identity`), 'X-OpenStack-Nova-API-Version': '2.53' };
  const result = {
    helloWorld: await load(helloUrl, {}, seconds),
    serversDetailByHost: await load(`${base}/compute/v2.1/servers/detail?host=compute-0500&all_tenants=1`, headers, seconds),
    osServices: await load(`${base}/compute/v2.1/os-services`, headers, seconds),
  };
  await serve.close();
  await hello.close();
  return {
    ...result,
    serversDetailRatioToHello: +(result.serversDetailByHost.requestsPerSec / result.helloWorld.requestsPerSec).toFixed(3),
    osServicesRatioToHello: +(result.osServices.requestsPerSec / result.helloWorld.requestsPerSec).toFixed(3),
  };
}
