/**
 * Interop: what `ihasim serve` prints for a newcomer works as printed. The `export OS_*` block of the start-up
 * banner, sourced in bash, lets the real `openstack` CLI issue a token and list every project's servers; the
 * `clouds.yaml` entry served at `GET /ihasim/v1/endpoints` works with `openstack --os-cloud ihasim`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { main } from '../../harness/cli/main.js';
import type { ServeEndpoints } from '../../harness/serve/serve.js';
import { requireClient, runClient, type RunResult } from '../support/interop.js';
import { writeServeScenario } from '../support/serve-scenario.js';

const openstack = requireClient('openstack', 'python3-openstackclient');
const bash = requireClient('bash', 'bash');

const lines: string[] = [];
let done: Promise<number>;
let exportsBlock: string;
let endpoints: ServeEndpoints;
/** The caller's own OS_* variables blanked, so only what serve printed configures the client. */
let cleanEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  const scratch = mkdtempSync(join(tmpdir(), 'ihasim-serve-osenv-'));
  done = main(['serve', writeServeScenario(), '--speed', '20', '--log-level', 'silent', '--replay-out', join(scratch, 'replay.yaml')], (s) => lines.push(s));
  for (let i = 0; i < 500 && !lines.join('\n').includes('export OS_AUTH_URL='); i++) await new Promise((r) => setTimeout(r, 20));
  const banner = lines.join('\n');
  exportsBlock = banner.split('\n').filter((l) => l.startsWith('export OS_')).join('\n');
  const control = /control\s+(\S+)/.exec(banner)![1]!;
  endpoints = (await (await fetch(`${control}/endpoints`)).json()) as ServeEndpoints;
  cleanEnv = { HOME: scratch, NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' };
  for (const key of Object.keys(process.env)) if (key.startsWith('OS_')) cleanEnv[key] = '';
});

afterAll(async () => {
  process.emit('SIGINT');
  await done;
});

function json<T>(r: RunResult): T {
  if (r.code !== 0) throw new Error(`openstack failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

openstack.describe('interop: the OS_* block and clouds.yaml that serve prints', () => {
  it('the banner prints an export block with every OS_* variable, the same as /endpoints field env', () => {
    for (const name of ['OS_AUTH_URL', 'OS_USERNAME', 'OS_PASSWORD', 'OS_PROJECT_NAME', 'OS_USER_DOMAIN_NAME', 'OS_PROJECT_DOMAIN_NAME', 'OS_IDENTITY_API_VERSION', 'OS_REGION_NAME']) {
      expect(exportsBlock).toMatch(new RegExp(`^export ${name}=\\S+$`, 'm'));
    }
    expect(exportsBlock).toContain('export OS_IDENTITY_API_VERSION=3');
    expect(endpoints.env['OS_AUTH_URL']).toBe(endpoints.openstack.authUrl);
    expect(endpoints.cloudsYaml).toMatch(/^clouds:\n {2}ihasim:\n/);
  });

  bash.describe('sourced in bash', () => {
    it('token issue and server list --all-projects', { timeout: 120_000 }, async () => {
      const script = `${exportsBlock}\nopenstack token issue -f json && echo '---' && openstack server list --all-projects -f json`;
      const r = await runClient(bash.path!, ['-c', script], { env: cleanEnv, timeoutMs: 90_000 });
      expect(r.code, r.stderr).toBe(0);
      const [token, servers] = r.stdout.split('\n---\n');
      expect(json<{ project_id: string }>({ ...r, stdout: token! }).project_id).toBe('admin');
      expect(json<{ Name: string }[]>({ ...r, stdout: servers! }).map((s) => s.Name).sort()).toHaveLength(12);
    });
  });

  it('clouds.yaml: openstack --os-cloud ihasim server list', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ihasim-serve-clouds-'));
    const file = join(dir, 'clouds.yaml');
    writeFileSync(file, endpoints.cloudsYaml);
    const r = await runClient(openstack.path!, ['--os-cloud', 'ihasim', 'server', 'list', '--all-projects', '-f', 'json'], {
      env: { ...cleanEnv, OS_CLIENT_CONFIG_FILE: file }, timeoutMs: 60_000,
    });
    expect(json<{ Name: string }[]>(r)).toHaveLength(12);
  });
});
