/**
 * Who may log in to the served computes: public keys from an OpenSSH `authorized_keys` text and/or one
 * password (from an environment variable; serve never logs it). Any user name is accepted, as `root` or
 * `heat-admin` would be on a real compute: the key or the password is the credential.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import ssh2 from 'ssh2';
import type { AuthContext } from 'ssh2';
import { IhasimError } from '../../errors.js';

const { utils } = ssh2;

export interface SshCredentials {
  /** The text of an OpenSSH authorized_keys file. */
  authorizedKeys?: string;
  password?: string;
}

type PublicKey = ReturnType<typeof parsePublicKey>;

function parsePublicKey(line: string) {
  const key = utils.parseKey(line);
  if (key instanceof Error) return null;
  return Array.isArray(key) ? (key[0] ?? null) : key;
}

/** The keys of an authorized_keys text: blank and `#` lines skipped; a line that is no public key is an error. */
export function parseAuthorizedKeys(text: string, source: string): NonNullable<PublicKey>[] {
  const keys: NonNullable<PublicKey>[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    // authorized_keys options (`from="…",command="…" ssh-ed25519 …`) are not honoured: refuse rather than ignore them.
    const key = parsePublicKey(line);
    if (!key || key.isPrivateKey()) {
      throw new IhasimError('IHASIM_USAGE', `${source} line ${i + 1} is not an OpenSSH public key (want e.g. \`ssh-ed25519 AAAA… comment\`, without options)`);
    }
    keys.push(key);
  });
  return keys;
}

/** Equal without leaking where they differ (both sides hashed to one length first). */
function sameSecret(a: string | Buffer, b: string | Buffer): boolean {
  const h = (x: string | Buffer): Buffer => createHash('sha256').update(x).digest();
  return timingSafeEqual(h(a), h(b));
}

export class SshAuthenticator {
  private readonly keys: NonNullable<PublicKey>[];
  private readonly password: string | undefined;
  /** The methods a client may try, in the order ssh tries them. */
  readonly methods: ('publickey' | 'password')[];

  constructor(credentials: SshCredentials, source = 'the authorized keys') {
    this.keys = credentials.authorizedKeys !== undefined ? parseAuthorizedKeys(credentials.authorizedKeys, source) : [];
    this.password = credentials.password;
    this.methods = [...(this.keys.length > 0 ? ['publickey' as const] : []), ...(this.password !== undefined ? ['password' as const] : [])];
    if (this.methods.length === 0) {
      throw new IhasimError('IHASIM_USAGE', 'the served SSH needs a credential: --ssh-authorized-keys <file> with at least one key, and/or a password in IHASIM_SSH_PASSWORD');
    }
  }

  /** Accept or reject one authentication attempt; the method the client used is returned when accepted. */
  decide(ctx: AuthContext): string | null {
    if (ctx.method === 'password' && this.password !== undefined && sameSecret(ctx.password, this.password)) {
      ctx.accept();
      return 'password';
    }
    if (ctx.method === 'publickey') {
      const key = this.keys.find((k) => k.type === ctx.key.algo && sameSecret(k.getPublicSSH(), ctx.key.data));
      // Without a signature the client only asks whether the key would do (OpenSSH's probe before signing).
      if (key && (!ctx.signature || (ctx.blob !== undefined && key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true))) {
        ctx.accept();
        return ctx.signature ? 'publickey' : null;
      }
    }
    ctx.reject(this.methods);
    return null;
  }
}

/** OpenSSH's fingerprint of a public key: `SHA256:` and the unpadded base64 of its blob's hash. */
export function fingerprint(publicKeyOpenSsh: string): string {
  const key = parsePublicKey(publicKeyOpenSsh);
  if (!key) throw new IhasimError('IHASIM_INTERNAL', 'the generated host key does not parse');
  return `SHA256:${createHash('sha256').update(key.getPublicSSH()).digest('base64').replace(/=+$/, '')}`;
}
