import { request } from 'node:https';
import { X509Certificate } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startRedfishServer, type RedfishServer } from '../../../../../../harness/serve/bmc/redfish/index.js';
import { FakeRedfishBackend } from '../../../../../support/fake-redfish-backend.js';
import { ADMIN, basic } from './redfish-test-kit.js';

let server: RedfishServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Got {
  status: number;
  body: string;
}

function httpsGet(url: string, ca: string, headers: Record<string, string> = {}): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('redfish: HTTPS server', () => {
  it('listens on loopback with an ephemeral port and a certificate valid for localhost and 127.0.0.1', async () => {
    const backend = new FakeRedfishBackend([{ name: 'compute-0' }]);
    server = await startRedfishServer({ backend, port: 0 });
    expect(server.url).toBe(`https://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
    const cert = new X509Certificate(server.cert);
    expect(cert.subject).toContain('CN=localhost');
    expect(cert.subjectAltName).toContain('DNS:localhost');
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    const root = await httpsGet(`${server.url}/redfish/v1/`, server.cert);
    expect(root.status).toBe(200);
    const viaName = await httpsGet(`https://localhost:${server.port}/redfish/v1/Systems/compute-0`, server.cert, {
      authorization: basic(ADMIN),
    });
    expect(JSON.parse(viaName.body).PowerState).toBe('On');
  });

  it('an unreachable node looks like a connection error to an HTTPS client, at once', async () => {
    const backend = new FakeRedfishBackend([{ name: 'compute-0', reachability: 'unreachable' }]);
    server = await startRedfishServer({ backend, port: 0 });
    // A reset, not a timeout: a hang would end in the test's own timeout instead (no wall-clock bound here, so
    // the verdict does not depend on how loaded the machine is).
    await expect(
      httpsGet(`${server.url}/redfish/v1/Systems/compute-0`, server.cert, { authorization: basic(ADMIN) }),
    ).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  it('closes cleanly, freeing the port', async () => {
    const backend = new FakeRedfishBackend([{ name: 'compute-0' }]);
    const s = await startRedfishServer({ backend, port: 0 });
    await s.close();
    await expect(httpsGet(`${s.url}/redfish/v1/`, s.cert)).rejects.toThrow(/ECONNREFUSED/);
  });
});
