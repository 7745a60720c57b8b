import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:https';
import { describe, expect, it } from 'vitest';
import { main } from '../../../../harness/cli/main.js';
import type { ServeEndpoints } from '../../../../harness/serve/serve.js';
import { startServe } from '../../../../harness/serve/serve.js';
import { serveSpec, writeServeScenario } from '../../../support/serve-scenario.js';

/** GET over HTTPS with Basic auth, trusting the self-signed certificate (as `fence_redfish --ssl-insecure`). */
function redfishGet(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { rejectUnauthorized: false, headers: { authorization: `Basic ${Buffer.from('admin:password').toString('base64')}` } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startServe', () => {
  it('serves the world on every protocol and closes everything', async () => {
    const serve = await startServe({ spec: serveSpec(), speed: 10 });
    try {
      const e = serve.endpoints;
      expect(e.nodes).toHaveLength(6);
      expect(e.nodes.every((n) => typeof n.ipmiPort === 'number' && n.ipmiPort > 0)).toBe(true);
      expect(e.control).toBe(`http://127.0.0.1:${e.port}/ihasim/v1`);
      expect(((await (await fetch(`${e.control}/endpoints`)).json()) as ServeEndpoints).redfish.url).toBe(e.redfish.url);
      expect((await fetch(e.openstack.authUrl)).status).toBe(300);
      await fetch(`${e.control}/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kind":"host-power-loss","target":"compute-05"}' });
      expect((await redfishGet(`${e.redfish.url}/redfish/v1/Systems/compute-05`)).body['PowerState']).toBe('Off');
      expect((await redfishGet(`${e.redfish.url}/redfish/v1/Systems/compute-04`)).body['PowerState']).toBe('On');
      const metrics = await (await fetch(`${e.control}/metrics`)).text();
      expect(metrics).toMatch(/ihasim_http_requests_total\{method="GET",route="\/identity",status="300"\} 1/);
    } finally {
      const report = await serve.close();
      expect(report.kind).toBe('run');
    }
    await expect(fetch(serve.endpoints.control + '/status')).rejects.toThrow();
  });
});

describe('ihasim serve (CLI)', () => {
  it('prints the endpoints as JSON, serves until SIGINT, then prints the report and exits with its code', async () => {
    const lines: string[] = [];
    const replayOut = join(mkdtempSync(join(tmpdir(), 'ihasim-serve-cli-')), 'replay.yaml');
    const done = main(['serve', writeServeScenario(), '--json', '--speed', '50', '--log-level', 'silent', '--replay-out', replayOut], (s) => lines.push(s));
    const endpoints = await new Promise<ServeEndpoints>((resolve) => {
      const poll = setInterval(() => {
        if (lines.length > 0) {
          clearInterval(poll);
          resolve(JSON.parse(lines[0]!) as ServeEndpoints);
        }
      }, 20);
    });
    const status = (await (await fetch(`${endpoints.control}/status`)).json()) as { scenario: string; speed: number };
    expect(status).toMatchObject({ scenario: 'serve-external', speed: 50 });
    process.emit('SIGINT');
    expect(await done).toBe(0);
    expect(JSON.parse(lines[1]!)).toMatchObject({ kind: 'run', scenario: 'serve-external', verdict: 'pass' });
    expect(JSON.parse(lines[2]!)).toMatchObject({ replay: { file: replayOut, command: expect.stringMatching(/^npx ihasim run .*replay\.yaml --seed 11$/) } });
  });

  it.each([[['--speed', '0']], [['--port', '70000']], [['--log-level', 'loud']]])('refuses %j with exit code 3', async (flags) => {
    const code = await main(['serve', writeServeScenario(), ...flags], () => {});
    expect(code).toBe(3);
  });
});
