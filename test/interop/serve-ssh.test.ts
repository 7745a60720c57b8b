/**
 * Interop: Debian's real OpenSSH client (`ssh`, with a key from `ssh-keygen`) against the SSH servers of
 * `ihasim serve`'s computes. A command of the served vocabulary changes the world as the control API's truth
 * shows; an unknown command exits 127 with the served message; a shell is refused; a powered-off host resets
 * the connection.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServe, type ServeHandle } from '../../harness/serve/serve.js';
import { requireClient, runClient } from '../support/interop.js';
import { serveSpec } from '../support/serve-scenario.js';

const ssh = requireClient('ssh', 'openssh-client');
const sshKeygen = requireClient('ssh-keygen', 'openssh-client');

let serve: ServeHandle;
let keyFile: string;

beforeAll(async () => {
  if (!ssh.path || !sshKeygen.path) return;
  const dir = mkdtempSync(join(tmpdir(), 'ihasim-ssh-'));
  keyFile = join(dir, 'id_ed25519');
  const gen = await runClient(sshKeygen.path, ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);
  if (gen.code !== 0) throw new Error(`ssh-keygen failed: ${gen.stderr}`);
  serve = await startServe({ spec: serveSpec(), speed: 20, ssh: { basePort: 0, authorizedKeys: readFileSync(`${keyFile}.pub`, 'utf8') } });
});

afterAll(async () => {
  await serve?.close();
});

/** `ssh -i key -p PORT root@127.0.0.1 <command>` to one served compute, with no user config and no known_hosts. */
function sshTo(host: string, command: string, extra: string[] = []) {
  const port = serve.endpoints.nodes.find((n) => n.name === host)!.sshPort!;
  return runClient(ssh.path!, [
    '-F', '/dev/null', '-i', keyFile, '-p', String(port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
    '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'ConnectTimeout=10', '-o', 'LogLevel=ERROR', ...extra, 'root@127.0.0.1', command,
  ], { timeoutMs: 20_000 });
}

async function hostTruth(name: string) {
  const truth = (await (await fetch(`${serve.endpoints.control}/truth`)).json()) as { hosts: { name: string; state: string; services: { novaCompute: string }; nicsDown: string[] }[] };
  return truth.hosts.find((h) => h.name === name)!;
}

ssh.describe('interop: OpenSSH client against the served computes', () => {
  it('lists each compute\'s SSH port and the host key fingerprint in GET /endpoints', async () => {
    const e = (await (await fetch(`${serve.endpoints.control}/endpoints`)).json()) as { ssh: { hostKeyFingerprint: string; nics: Record<string, string> }; nodes: { sshPort: number }[] };
    expect(e.ssh.hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(e.ssh.nics).toMatchObject({ eth1: 'mgmt', eth2: 'tenant', eth3: 'storage' });
    expect(e.nodes.every((n) => n.sshPort > 0)).toBe(true);
  });

  it('systemctl stop nova-compute stops it in the world; systemctl start brings it back', { timeout: 30_000 }, async () => {
    const stop = await sshTo('compute-02', 'systemctl stop nova-compute');
    expect(stop).toMatchObject({ code: 0, stderr: '' });
    expect((await hostTruth('compute-02')).services.novaCompute).toBe('stopped');
    expect((await sshTo('compute-02', 'systemctl is-active nova-compute'))).toMatchObject({ code: 3, stdout: 'inactive\n' });
    expect((await sshTo('compute-02', 'systemctl start nova-compute')).code).toBe(0);
    expect(['starting', 'running']).toContain((await hostTruth('compute-02')).services.novaCompute);
    const faults = (await (await fetch(`${serve.endpoints.control}/faults`)).json()) as { faults: { kind: string; targets: string[]; undoneAtMs: number | null }[] };
    expect(faults.faults.filter((f) => f.targets.includes('compute-02')).map((f) => [f.kind, f.undoneAtMs !== null])).toEqual([['nova-compute-crash', true]]);
  });

  it('an iptables cut in the IHASIM chain takes the mgmt NIC down; flushing the chain heals it', { timeout: 30_000 }, async () => {
    for (const cmd of ['iptables -N IHASIM', 'iptables -I INPUT -j IHASIM', 'iptables -I OUTPUT -j IHASIM', 'iptables -A IHASIM -i eth1 -j DROP', 'iptables -A IHASIM -o eth1 -j DROP']) {
      expect((await sshTo('compute-03', cmd)).code, cmd).toBe(0);
    }
    expect((await hostTruth('compute-03')).nicsDown).toEqual(['mgmt']);
    expect((await sshTo('compute-03', 'iptables -S IHASIM')).stdout).toBe('-N IHASIM\n-A IHASIM -i eth1 -j DROP\n-A IHASIM -o eth1 -j DROP\n');
    for (const cmd of ['iptables -F IHASIM', 'iptables -D INPUT -j IHASIM', 'iptables -D OUTPUT -j IHASIM', 'iptables -X IHASIM']) {
      expect((await sshTo('compute-03', cmd)).code, cmd).toBe(0);
    }
    expect((await hostTruth('compute-03')).nicsDown).toEqual([]);
  });

  it('an unknown command exits 127 with the served message; a shell is refused', { timeout: 30_000 }, async () => {
    const r = await sshTo('compute-01', 'rm -rf /');
    expect(r.code).toBe(127);
    expect(r.stderr).toContain('ihasim-serve: command not in the served vocabulary: rm -rf /');
    const shell = await sshTo('compute-01', '', ['-T']);
    expect(shell.code).toBe(1);
    expect(shell.stderr).toContain('interactive shells are not served');
  });

  it('reads hostname, boot id and the domains truly running there (virsh list --all)', { timeout: 30_000 }, async () => {
    expect((await sshTo('compute-04', 'hostname')).stdout).toBe('compute-04\n');
    const a = await sshTo('compute-04', 'cat /proc/sys/kernel/random/boot_id');
    expect(a.stdout).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\n$/);
    expect((await sshTo('compute-04', 'cat /proc/sys/kernel/random/boot_id')).stdout).toBe(a.stdout);
    const virsh = (await sshTo('compute-04', 'virsh list --all')).stdout;
    const names = [...serve.world.hosts.get('compute-04')!.domains.keys()].map((i) => `instance-${i.uuid.replace(/-/g, '').slice(0, 8)}`);
    expect(names).toHaveLength(3);
    for (const n of names) expect(virsh).toMatch(new RegExp(`^ \\d+\\s+${n}\\s+running$`, 'm'));
  });

  it('a powered-off compute refuses the connection; a kernel panic drops the session', { timeout: 30_000 }, async () => {
    const res = await fetch(`${serve.endpoints.control}/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'host-power-loss', target: 'compute-05' }) });
    expect(res.status).toBe(201);
    const dead = await sshTo('compute-05', 'hostname');
    expect(dead.code).toBe(255);
    const panic = await sshTo('compute-06', 'echo c > /proc/sysrq-trigger');
    expect(panic.code).toBe(255);
    expect((await hostTruth('compute-06')).state).toBe('crashed');
  });
});
