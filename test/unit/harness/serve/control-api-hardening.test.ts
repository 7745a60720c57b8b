import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { serveCli } from '../../../support/cli-in-process.js';
import { startServe } from '../../../../harness/serve/serve.js';
import { nestsDeeperThan } from '../../../../harness/serve/request-guards.js';
import { serveSpec } from '../../../support/serve-scenario.js';

/** A raw HTTP request to loopback with a Host header of the test's choosing (fetch does not allow setting it). */
function rawRequest(port: number, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const post = (url: string, body: string): Promise<Response> => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('serve: the control API is not exposed by accident', () => {
  it('an empty --control-token is refused (exit 3), not taken as "no auth"', async () => {
    const { code, stderr } = await serveCli(['--control-token', '']);
    expect(code).toBe(3);
    expect(stderr).toContain('--control-token is empty');
  });

  it('a non-loopback --host without a control token is refused (exit 3), saying why', async () => {
    const { code, stderr } = await serveCli(['--host', '0.0.0.0']);
    expect(code).toBe(3);
    expect(stderr).toMatch(/--host 0\.0\.0\.0 is not loopback: give --control-token .*inject faults/);
  });
});

describe('serve: control API guards', () => {
  it('refuses a Host header that does not name this server (DNS rebinding) with 403; loopback names pass', async () => {
    const serve = await startServe({ spec: serveSpec(), tickMs: 0 });
    try {
      const port = serve.endpoints.port;
      const evil = await rawRequest(port, '/ihasim/v1/status', `attacker.example:${port}`);
      expect(evil.status).toBe(403);
      expect(JSON.parse(evil.body).error.message).toMatch(/DNS rebinding/);
      expect((await rawRequest(port, '/ihasim/v1/status', `127.0.0.1:${port + 1}`)).status).toBe(403);
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) expect((await rawRequest(port, '/ihasim/v1/status', host)).status).toBe(200);
    } finally {
      await serve.close();
    }
  });

  it('a fault body nested 4,000 levels deep gets 400 with a clear message, and the server keeps serving', async () => {
    const serve = await startServe({ spec: serveSpec(), tickMs: 0 });
    try {
      const c = serve.endpoints.control;
      for (const field of ['kind', 'network', 'target']) {
        const nested = '['.repeat(4_000) + ']'.repeat(4_000);
        const r = await post(`${c}/faults`, `{"kind":"nic-down","target":"compute-01","network":"mgmt","${field}":${nested}}`);
        expect(r.status).toBe(400);
        const body = (await r.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('IHASIM_USAGE');
        expect(body.error.message).toMatch(/nests deeper than 32 levels/);
      }
      expect((await post(`${c}/faults`, '{"kind":"host-power-loss","target":"compute-01"}')).status).toBe(201);
    } finally {
      await serve.close();
    }
  });

  it.each([['null'], ['[]'], ['"all"'], ['{"netwrok":"mgmt"}'], ['{"id":1,"network":"mgmt"}']])('POST /faults/heal with %s is 400 and heals nothing', async (body) => {
    const serve = await startServe({ spec: serveSpec(), tickMs: 0 });
    try {
      const c = serve.endpoints.control;
      expect((await post(`${c}/faults`, '{"kind":"network-partition","network":"mgmt","groups":[["compute-01"],["controller-*"]]}')).status).toBe(201);
      const r = await post(`${c}/faults/heal`, body);
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(/\{\} heals every network/);
      expect(serve.world.nets.active()).toHaveLength(1);
      // The explicit heal-all form still works.
      expect((await post(`${c}/faults/heal`, '{}')).status).toBe(200);
      expect(serve.world.nets.active()).toHaveLength(0);
    } finally {
      await serve.close();
    }
  });

  it('nestsDeeperThan counts levels without recursion (a million levels do not overflow)', () => {
    let v: unknown = 1;
    for (let i = 0; i < 1_000_000; i++) v = [v];
    expect(nestsDeeperThan(v, 32)).toBe(true);
    expect(nestsDeeperThan({ a: [[1]] }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: [[1]] }, 2)).toBe(true);
  });
});
