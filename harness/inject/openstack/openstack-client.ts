/**
 * A small OpenStack client over undici: Keystone v3 password auth (project scope, catalog), then Nova reads under
 * a shared token bucket, and the one Nova write a campaign makes (`trigger_crash_dump`). Re-authenticates once
 * on a 401 (an expired token). Requests and answers never carry the password into errors.
 */
import { Agent, request, type Dispatcher } from 'undici';
import type { TokenBucket } from '../token-bucket.js';
import type { CloudCredentials } from './cloud-config.js';

/** The newest microversion every read here understands (services with UUIDs: 2.53). */
const READ_MICROVERSION = '2.53';
/** `trigger_crash_dump` exists from 2.17 (nova/api/openstack/compute/servers.py `_action_trigger_crash_dump`). */
const CRASH_DUMP_MICROVERSION = '2.17';

export class OpenStackError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

interface CatalogEntry { type: string; endpoints: { interface: string; region?: string; url: string }[] }

export class OpenStackClient {
  private token: string | undefined;
  private computeUrl: string | undefined;
  private readonly dispatcher: Dispatcher;

  constructor(private readonly creds: CloudCredentials, private readonly bucket: TokenBucket) {
    this.dispatcher = new Agent({ connect: { rejectUnauthorized: !creds.insecure }, keepAliveTimeout: 4_000 });
  }

  private v3(): string {
    const u = this.creds.authUrl.replace(/\/+$/, '');
    return u.endsWith('/v3') ? u : `${u}/v3`;
  }

  /** Keystone v3 `POST /auth/tokens` with a password, scoped to the project; finds Nova in the catalog. */
  async authenticate(): Promise<void> {
    await this.bucket.take();
    const c = this.creds;
    const body = {
      auth: {
        identity: { methods: ['password'], password: { user: { name: c.username, domain: { name: c.userDomainName }, password: c.password } } },
        scope: { project: { name: c.projectName, domain: { name: c.projectDomainName } } },
      },
    };
    const res = await request(`${this.v3()}/auth/tokens`, {
      method: 'POST', dispatcher: this.dispatcher, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
      headersTimeout: 15_000, bodyTimeout: 15_000,
    });
    const text = await res.body.text();
    if (res.statusCode !== 201) throw new OpenStackError(`Keystone refused the credentials of ${c.username} (HTTP ${res.statusCode})`, res.statusCode);
    this.token = String(res.headers['x-subject-token']);
    const catalog = ((JSON.parse(text) as { token: { catalog?: CatalogEntry[] } }).token.catalog ?? []);
    const compute = catalog.find((e) => e.type === 'compute')?.endpoints
      .find((e) => e.interface === c.interface && (c.region === undefined || e.region === c.region));
    if (!compute) throw new OpenStackError(`no ${c.interface} compute endpoint${c.region ? ` in region ${c.region}` : ''} in the Keystone catalog`);
    this.computeUrl = compute.url.replace(/\/+$/, '');
  }

  private async nova(method: 'GET' | 'POST', path: string, microversion: string, body?: unknown, retried = false): Promise<Record<string, unknown>> {
    if (!this.token) await this.authenticate();
    await this.bucket.take();
    const res = await request(`${this.computeUrl}${path}`, {
      method, dispatcher: this.dispatcher, headersTimeout: 15_000, bodyTimeout: 15_000,
      headers: {
        'x-auth-token': this.token!, 'openstack-api-version': `compute ${microversion}`, 'x-openstack-nova-api-version': microversion,
        accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.body.text();
    if (res.statusCode === 401 && !retried) {
      this.token = undefined;
      return this.nova(method, path, microversion, body, true);
    }
    if (res.statusCode >= 300) throw new OpenStackError(`Nova ${method} ${path}: HTTP ${res.statusCode}${text ? ` ${text.slice(0, 200)}` : ''}`, res.statusCode);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }

  async services(): Promise<NovaService[]> {
    return ((await this.nova('GET', '/os-services?binary=nova-compute', READ_MICROVERSION))['services'] ?? []) as NovaService[];
  }

  /** Every server of every project (admin), with its host and states. */
  async servers(): Promise<NovaServer[]> {
    return ((await this.nova('GET', '/servers/detail?all_tenants=1', READ_MICROVERSION))['servers'] ?? []) as NovaServer[];
  }

  async migrations(): Promise<Record<string, unknown>[]> {
    return ((await this.nova('GET', '/os-migrations', READ_MICROVERSION))['migrations'] ?? []) as Record<string, unknown>[];
  }

  async hypervisors(): Promise<Record<string, unknown>[]> {
    return ((await this.nova('GET', '/os-hypervisors/detail', READ_MICROVERSION))['hypervisors'] ?? []) as Record<string, unknown>[];
  }

  /** Nova's `trigger_crash_dump` server action: an NMI to the guest, which panics (guest-panic). */
  async triggerCrashDump(serverId: string): Promise<void> {
    await this.nova('POST', `/servers/${encodeURIComponent(serverId)}/action`, CRASH_DUMP_MICROVERSION, { trigger_crash_dump: null });
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}

export interface NovaService { id: string | number; host: string; binary: string; status: string; state: string; forced_down?: boolean; zone?: string }

export interface NovaServer {
  id: string;
  name: string;
  status: string;
  'OS-EXT-SRV-ATTR:host'?: string | null;
  'OS-EXT-STS:vm_state'?: string;
  'OS-EXT-STS:task_state'?: string | null;
  'OS-EXT-STS:power_state'?: number;
  metadata?: Record<string, string>;
}
