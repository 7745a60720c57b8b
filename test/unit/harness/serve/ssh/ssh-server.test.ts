/**
 * The served SSH servers with an in-process ssh2 client: password and key authentication, exec only, refusals
 * of shells and forwarding, and credentials that are required and never logged.
 */
import ssh2, { type Client as SshClient } from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { startServe, type ServeHandle } from '../../../../../harness/serve/serve.js';
import { sshOptions } from '../../../../../harness/serve/serve-command.js';
import { serveSpec } from '../../../../support/serve-scenario.js';
import { generateEd25519KeyPair } from '../../../../../harness/serve/ssh/ssh-keys.js';

const { Client } = ssh2;
const PASSWORD = 'correct horse battery staple';

let serve: ServeHandle | undefined;
const clients: SshClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.end();
  await serve?.close();
  serve = undefined;
});

async function start(ssh: { password?: string; authorizedKeys?: string }): Promise<ServeHandle> {
  serve = await startServe({ spec: serveSpec(), speed: 20, ssh: { basePort: 0, ...ssh } });
  return serve;
}

function connect(port: number, auth: { password?: string; privateKey?: string }): Promise<SshClient> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    clients.push(c);
    c.on('ready', () => resolve(c)).on('error', reject);
    c.connect({ host: '127.0.0.1', port, username: 'root', ...auth, readyTimeout: 10_000 });
  });
}

function exec(c: SshClient, command: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    c.exec(command, (err, stream) => {
      if (err) return reject(err);
      let stdout = '';
      let stderr = '';
      let code: number | null = null;
      stream.on('data', (d: Buffer) => (stdout += d.toString()));
      stream.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      stream.on('exit', (c2: number) => (code = c2));
      stream.on('close', () => resolve({ code, stdout, stderr }));
    });
  });
}

const portOf = (s: ServeHandle, host: string): number => s.endpoints.nodes.find((n) => n.name === host)!.sshPort!;

describe('served SSH: authentication and what is served', () => {
  it('accepts the password, refuses a wrong one, and runs exec requests', { timeout: 20_000 }, async () => {
    const s = await start({ password: PASSWORD });
    await expect(connect(portOf(s, 'compute-01'), { password: 'wrong' })).rejects.toThrow(/authentication methods failed/);
    const c = await connect(portOf(s, 'compute-01'), { password: PASSWORD });
    expect(await exec(c, 'hostname')).toEqual({ code: 0, stdout: 'compute-01\n', stderr: '' });
    expect(s.endpoints.ssh!.methods).toEqual(['password']);
    const login = s.world.trace.records.find((r) => r.type === 'ssh.login');
    expect(login).toMatchObject({ entity: 'compute-01', user: 'root', method: 'password' });
    expect(JSON.stringify(s.world.trace.records)).not.toContain(PASSWORD);
  });

  it('accepts an authorized key and refuses another key', { timeout: 20_000 }, async () => {
    const good = generateEd25519KeyPair();
    const other = generateEd25519KeyPair();
    const s = await start({ authorizedKeys: `# ops\n${good.public}\n` });
    await expect(connect(portOf(s, 'compute-02'), { privateKey: other.private })).rejects.toThrow(/authentication methods failed/);
    const c = await connect(portOf(s, 'compute-02'), { privateKey: good.private });
    expect((await exec(c, 'systemctl is-active pacemaker_remote')).stdout).toBe('active\n');
  });

  it('refuses port forwarding, and a shell with a message', { timeout: 20_000 }, async () => {
    const s = await start({ password: PASSWORD });
    const c = await connect(portOf(s, 'compute-03'), { password: PASSWORD });
    const forward = await new Promise<Error | undefined>((resolve) => c.forwardOut('127.0.0.1', 0, '127.0.0.1', s.endpoints.port, (err) => resolve(err)));
    // ssh2 lets a server refuse a channel without words: the refusal is named in the event stream instead.
    expect(forward?.message).toMatch(/Channel open failure/);
    expect(s.world.trace.records.find((r) => r.type === 'ssh.refused')).toMatchObject({ entity: 'compute-03', request: 'direct-tcpip' });
    const remote = await new Promise<Error | undefined>((resolve) => c.forwardIn('127.0.0.1', 0, (err) => resolve(err)));
    expect(remote).toBeInstanceOf(Error);
    const shell = await new Promise<{ stderr: string; code: number | null }>((resolve, reject) => c.shell(false, (err, stream) => {
      if (err) return reject(err);
      let stderr = '';
      let code: number | null = null;
      stream.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      // The channel closes only once its (empty) stdout has been read to the end.
      stream.resume();
      stream.on('exit', (x: number) => (code = x));
      stream.on('close', () => resolve({ stderr, code }));
    }));
    expect(shell).toEqual({ code: 1, stderr: expect.stringContaining('interactive shells are not served') });
    expect(await exec(c, 'hostname')).toMatchObject({ code: 0 });
  });

  it('needs a credential; the password comes from IHASIM_SSH_PASSWORD, never a flag', async () => {
    await expect(startServe({ spec: serveSpec(), ssh: { basePort: 0 } })).rejects.toThrow(/needs a credential/);
    expect(await sshOptions({ sshPortBase: 0 }, { IHASIM_SSH_PASSWORD: 'pw' })).toEqual({ basePort: 0, password: 'pw' });
    expect(await sshOptions({}, { IHASIM_SSH_PASSWORD: 'pw' })).toBeUndefined();
    await expect(sshOptions({ sshAuthorizedKeys: '/x' }, {})).rejects.toThrow(/needs --ssh-port-base/);
    await expect(sshOptions({ sshPortBase: 0, sshAuthorizedKeys: '/nonexistent/keys' }, {})).rejects.toThrow(/cannot read it \(ENOENT\)/);
    await expect(startServe({ spec: serveSpec(), ssh: { basePort: 0, authorizedKeys: 'not a key' } })).rejects.toThrow(/line 1 is not an OpenSSH public key/);
  });
});
