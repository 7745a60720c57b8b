/**
 * One SSH server per served compute (`ihasim serve --ssh-port-base P`), so that a fault injector reaches the
 * world through the same channel it uses on a real cloud. Each compute listens on its own port; its commands run
 * in its {@link HostShell}. Only `exec` requests are served: a shell, a subsystem (sftp) or any forwarding is
 * refused with a message saying so. A compute that is not up (off, crashed, hung, booting) resets every connection,
 * and its open sessions drop when it goes down, as a real host's would.
 *
 * The host key (ed25519) is generated at start, shared by every compute, and shown by its fingerprint.
 */
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import ssh2 from 'ssh2';
import type { Connection, ServerChannel, Session } from 'ssh2';
import type { Logger } from 'pino';
import type { ComputeHost } from '../../../sim/infra/compute-host.js';
import type { ServeSession } from '../serve-session.js';
import { IhasimError } from '../../errors.js';
import { HostShell } from './host-shell.js';
import { fingerprint, SshAuthenticator, type SshCredentials } from './ssh-auth.js';
import { generateEd25519KeyPair } from './ssh-keys.js';

const { Server: SshServer } = ssh2;

export interface SshServeOptions extends SshCredentials {
  /** Compute i listens on basePort + i; 0: an ephemeral port each. */
  basePort: number;
  /** Where the authorized keys came from, for error messages. */
  authorizedKeysSource?: string;
}

export interface SshServers {
  /** Port of each compute's SSH server, by host name. */
  ports: ReadonlyMap<string, number>;
  /** The host key's fingerprint, `SHA256:…` as `ssh-keygen -lf` prints it. */
  hostKeyFingerprint: string;
  /** The host key in OpenSSH public form (for a known_hosts line). */
  hostPublicKey: string;
  /** Authentication methods a client may use. */
  methods: readonly string[];
  shells: ReadonlyMap<string, HostShell>;
  close(): Promise<void>;
}

/** Connections at once per compute: an injector needs a few; more only costs memory. */
const MAX_CONNECTIONS = 32;
/** A client must have logged in by then (wall ms), or its connection is closed: idle sockets hold nothing. */
const LOGIN_GRACE_MS = 30_000;

const SHELL_REFUSED = 'ihasim-serve: interactive shells are not served; run one command, e.g. ssh <host> \'systemctl is-active nova-compute\'\n';

/** One compute's listener: TCP sockets are accepted here, then handed to ssh2 only while the host is up. */
class HostSshListener {
  readonly sockets = new Set<Socket>();
  readonly tcp: NetServer;
  private lastRefusedOutage = '';
  private readonly ssh: InstanceType<typeof SshServer>;

  constructor(
    private readonly session: ServeSession,
    readonly shell: HostShell,
    hostKey: string,
    private readonly auth: SshAuthenticator,
    private readonly log: Logger,
  ) {
    this.ssh = new SshServer({ hostKeys: [hostKey], ident: 'ihasim-serve' }, (client) => this.serveClient(client));
    this.tcp = createServer((socket) => this.accept(socket));
    this.tcp.maxConnections = MAX_CONNECTIONS;
  }

  get host(): ComputeHost {
    return this.shell.host;
  }

  private accept(socket: Socket): void {
    socket.on('error', () => undefined);
    this.session.advance();
    if (!this.host.alive) {
      // A host that is down answers nothing; a reset is what a loopback client can be given instead of a timeout.
      // One event per outage, not per attempt: a client retrying in a loop must not grow the trace.
      const outage = `${this.host.bootCount}/${this.host.state}`;
      if (outage !== this.lastRefusedOutage) this.session.world.emit('ssh.refused', this.host.name, { state: this.host.state });
      this.lastRefusedOutage = outage;
      socket.resetAndDestroy();
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    this.ssh.injectSocket(socket);
  }

  /** The host went down: every session on it drops at once. */
  dropAll(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  private serveClient(client: Connection): void {
    client.on('error', (err) => this.log.debug({ err, host: this.host.name }, 'ssh client error'));
    const grace = setTimeout(() => client.end(), LOGIN_GRACE_MS);
    grace.unref();
    client.on('close', () => clearTimeout(grace));
    client.on('authentication', (ctx) => {
      const user = ctx.username.slice(0, 64);
      const method = this.auth.decide(ctx);
      if (!method) return;
      // Who logged in and how; never the password or the key.
      this.session.world.emit('ssh.login', this.host.name, { user, method });
      this.log.info({ host: this.host.name, user, method }, 'ssh login');
    });
    client.on('ready', () => {
      clearTimeout(grace);
      client.on('session', (accept) => this.serveSession(accept()));
      client.on('tcpip', (_accept, reject, info) => {
        this.session.world.emit('ssh.refused', this.host.name, { request: 'direct-tcpip', to: `${info.destIP}:${info.destPort}` });
        reject();
      });
      client.on('request', (_accept, reject, name) => {
        this.session.world.emit('ssh.refused', this.host.name, { request: name });
        reject?.();
      });
      client.on('openssh.streamlocal', (_accept, reject) => reject());
    });
  }

  private serveSession(session: Session): void {
    session.on('exec', (accept, _reject, info) => {
      const channel = accept();
      const result = this.shell.run(info.command);
      if (result.drop) {
        this.dropAll();
        return;
      }
      finish(channel, result.exit, result.stdout, result.stderr);
    });
    session.on('shell', (accept) => finish(accept(), 1, '', SHELL_REFUSED));
    session.on('pty', (_accept, reject) => reject?.());
    session.on('env', (accept) => accept?.());
    session.on('subsystem', (_accept, reject) => reject());
    session.on('sftp', (_accept, reject) => reject());
    session.on('x11', (_accept, reject) => reject?.());
    session.on('auth-agent', (_accept, reject) => reject?.());
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.tcp.once('error', reject);
      this.tcp.listen(port, host, () => {
        this.tcp.off('error', reject);
        const a = this.tcp.address();
        resolve(typeof a === 'object' && a ? a.port : port);
      });
    });
  }

  close(): Promise<void> {
    this.dropAll();
    return new Promise((resolve) => this.tcp.close(() => resolve()));
  }
}

function finish(channel: ServerChannel, exit: number, stdout: string, stderr: string): void {
  if (stdout) channel.write(stdout);
  if (stderr) channel.stderr.write(stderr);
  channel.exit(exit);
  channel.end();
}

/** Start one SSH server per compute; on a failure, close the ones started and rethrow. */
export async function startSshServers(session: ServeSession, bindHost: string, opts: SshServeOptions, log: Logger): Promise<SshServers> {
  const auth = new SshAuthenticator(opts, opts.authorizedKeysSource);
  const count = session.world.hostList.length;
  if (!Number.isInteger(opts.basePort) || opts.basePort < 0 || (opts.basePort > 0 && opts.basePort + count - 1 > 65535)) {
    throw new IhasimError('IHASIM_USAGE', `--ssh-port-base ${opts.basePort}: the ${count} computes need ports base..base+${count - 1} within 1..65535 (0: ephemeral ports)`);
  }
  const keys = generateEd25519KeyPair();
  const listeners: HostSshListener[] = [];
  const ports = new Map<string, number>();
  try {
    for (const [i, h] of session.world.hostList.entries()) {
      const l = new HostSshListener(session, new HostShell(session, h), keys.private, auth, log);
      listeners.push(l);
      ports.set(h.name, await l.listen(bindHost, opts.basePort === 0 ? 0 : opts.basePort + i));
    }
  } catch (err) {
    await Promise.allSettled(listeners.map((l) => l.close()));
    throw err;
  }
  // After every advance: forget the iptables rules of hosts that rebooted, drop the sessions of hosts that went down.
  const unsubscribe = session.driver.onAdvance(() => {
    for (const l of listeners) {
      l.shell.followReboot();
      if (!l.host.alive && l.sockets.size > 0) l.dropAll();
    }
  });
  return {
    ports, hostKeyFingerprint: fingerprint(keys.public), hostPublicKey: keys.public, methods: auth.methods,
    shells: new Map(listeners.map((l) => [l.host.name, l.shell])),
    close: async () => {
      unsubscribe();
      await Promise.allSettled(listeners.map((l) => l.close()));
    },
  };
}
