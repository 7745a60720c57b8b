/**
 * Interop: the real canary agent (support/canary/ihasim-canary.sh, run by sh with the real curl) against a
 * metadata service and a collector on loopback: it reads its uuid and collector from meta_data.json and sends
 * the heartbeat JSON the served canaries send, with this machine's boot id.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { afterAll, expect, it } from 'vitest';
import type { Heartbeat } from '../../harness/serve/canary/canary-emitter.js';
import { requireClient } from '../support/interop.js';

const curl = requireClient('curl', 'curl');
const SCRIPT = new URL('../../support/canary/ihasim-canary.sh', import.meta.url).pathname;
const UUID = '4d3c2b1a-0000-4000-8000-0123456789ab';

const app = Fastify();
afterAll(async () => {
  await app.close();
});

curl.describe('interop: support/canary/ihasim-canary.sh', () => {
  it('heartbeats the uuid from the metadata service, the boot id of its kernel, seq 1, 2, 3', { timeout: 20_000 }, async () => {
    const beats: Heartbeat[] = [];
    let base = '';
    app.get('/openstack/latest/meta_data.json', async () => ({ uuid: UUID, name: 'vm-01', meta: { ihasim_collector: `${base}/` } }));
    app.post('/v1/heartbeat', async (request, reply) => {
      beats.push(request.body as Heartbeat);
      return reply.code(204).send();
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const child = spawn('sh', [SCRIPT, 'run'], {
      env: { ...process.env, IHASIM_METADATA_URL: `${base}/openstack/latest/meta_data.json`, IHASIM_CANARY_INTERVAL: '0.1', NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' },
      stdio: 'ignore',
    });
    try {
      for (let i = 0; i < 200 && beats.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      child.kill('SIGTERM');
    }
    expect(beats.length).toBeGreaterThanOrEqual(3);
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    expect(beats.slice(0, 3)).toEqual([1, 2, 3].map((seq) => ({ uuid: UUID, boot_id: bootId, seq, host: 'unknown', sent_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) })));
  });
});
