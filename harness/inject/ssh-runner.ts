/**
 * Commands on a host over SSH (the `ssh2` client, public key auth), one exec per command, as `ssh host cmd`
 * would. A session is opened per host and reused; a host that panics or loses power drops it, and the next
 * command opens a new one. With `hostKey` set the server's key must have that SHA256 fingerprint.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';
import type { SshEntry } from './campaign.js';

const { Client } = ssh2;

export interface ExecResult { code: number | null; stdout: string; stderr: string }

export class SshRunner {
  private client: InstanceType<typeof Client> | undefined;
  private connecting: Promise<InstanceType<typeof Client>> | undefined;

  constructor(readonly host: string, private readonly entry: SshEntry, private readonly timeoutMs = 15_000) {}

  private connect(): Promise<InstanceType<typeof Client>> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= new Promise((resolve, reject) => {
      const c = new Client();
      const fail = (err: Error) => {
        this.connecting = undefined;
        reject(new Error(`ssh ${this.entry.user}@${this.entry.address}:${this.entry.port}: ${err.message}`));
      };
      c.once('ready', () => {
        this.client = c;
        this.connecting = undefined;
        resolve(c);
      });
      c.once('error', fail);
      c.on('close', () => {
        if (this.client === c) this.client = undefined;
      });
      let privateKey: Buffer;
      try {
        privateKey = readFileSync(this.entry.keyFile);
      } catch (err) {
        return fail(new Error(`cannot read keyFile ${this.entry.keyFile} (${(err as NodeJS.ErrnoException).code ?? 'error'})`));
      }
      const expected = this.entry.hostKey;
      c.connect({
        host: this.entry.address, port: this.entry.port, username: this.entry.user, privateKey, readyTimeout: this.timeoutMs,
        keepaliveInterval: 5_000, keepaliveCountMax: 2,
        ...(expected ? { hostVerifier: (key: Buffer) => `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}` === expected } : {}),
      });
    });
    return this.connecting;
  }

  /** Opens the session (the dry run's read-only check). */
  async open(): Promise<void> {
    await this.connect();
  }

  /** Runs one command; `sudo -n` first unless the user is root or `sudo: false`. */
  async exec(command: string): Promise<ExecResult> {
    const c = await this.connect();
    const line = this.entry.sudo ? `sudo -n ${command}` : command;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`ssh ${this.host}: \`${command}\` did not finish within ${this.timeoutMs} ms`)), this.timeoutMs);
      c.exec(line, (err, stream) => {
        if (err) {
          clearTimeout(timer);
          return reject(new Error(`ssh ${this.host}: ${err.message}`));
        }
        let stdout = '';
        let stderr = '';
        let code: number | null = null;
        stream.on('data', (d: Buffer) => (stdout += d.toString()));
        stream.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        stream.on('exit', (status: number | null) => (code = status));
        stream.on('close', () => {
          clearTimeout(timer);
          resolve({ code, stdout, stderr });
        });
      });
    });
  }

  close(): void {
    this.client?.end();
    this.client = undefined;
  }
}
