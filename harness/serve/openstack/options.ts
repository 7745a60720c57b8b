/**
 * Options of the OpenStack API app (`buildOpenStackApp`) and the default identity it serves.
 * Options are validated once, defaults filled, then frozen (see `resolveOptions`).
 */
import type { Logger } from 'pino';
import type { NovaControl } from '../../../sim/nova/records.js';
import type { RequestMetrics } from './metrics.js';

/** The clock of the world behind the API: simulated ms since the run start, and the wall-clock epoch of sim time 0. */
export interface SimClockView {
  nowMs(): number;
  /** Unix epoch ms of simulated time 0 (ISO timestamps are `epochMs + simMs`, unless `toEpochMs` is given). */
  epochMs: number;
  /**
   * Unix epoch ms at which a simulated time is shown; default `epochMs + simMs`. `ihasim serve --timestamps wall`
   * gives `epochMs + simMs / speed`: the real wall-clock moment the simulated event happened (see harness/serve/CLOCK.md).
   */
  toEpochMs?: (simMs: number) => number;
}

/** A Keystone project. `id` is what instances carry as `projectId` in the world. */
export interface IdentityProject {
  id: string;
  name: string;
}

/** A Keystone user with a password and, per project name, the role names assigned there. */
export interface IdentityUser {
  id: string;
  name: string;
  password: string;
  /** Project name → role names (implied roles are added: admin ⇒ member ⇒ reader). */
  roles: Record<string, string[]>;
}

/** Who may authenticate. One domain (`Default`) holds every user and project. */
export interface IdentityConfig {
  domain: { id: string; name: string };
  projects: IdentityProject[];
  users: IdentityUser[];
  /** Region of every catalog endpoint. Default `RegionOne`. */
  region?: string;
}

export interface OpenStackAppOptions {
  nova: NovaControl;
  clock: SimClockView;
  /** Base URL clients reach the app at, e.g. `http://127.0.0.1:5000`; used in the catalog and version documents. */
  publicUrl: string;
  identity?: IdentityConfig;
  /** A pino logger for request logs, or false/absent for none (quiet by default). */
  logger?: Logger | false;
  /** Token lifetime, in ms of the token clock (simulated time, or `wallClock` time when given). Default 1 h. */
  tokenTtlMs?: number;
  /**
   * Wall clock (epoch ms) for token issue and expiry. Absent: tokens live in simulated time. `ihasim serve`
   * gives its wall clock so that a token expires when keystoneauth (which compares `expires_at` with the real
   * clock) thinks it does, even while the world is frozen or has not been advanced yet.
   */
  wallClock?: () => number;
  /** Request counters by route and status (create one with `createRequestMetrics()` to read them). */
  metrics?: RequestMetrics;
}

/** The identity served when a scenario does not override it: admin/secret in `admin`, demo/secret in `demo`. */
export const DEFAULT_IDENTITY: IdentityConfig = Object.freeze<IdentityConfig>({
  domain: { id: 'default', name: 'Default' },
  projects: [
    { id: 'p-admin', name: 'admin' },
    { id: 'p-demo', name: 'demo' },
  ],
  users: [
    { id: 'u-admin', name: 'admin', password: 'secret', roles: { admin: ['admin'] } },
    { id: 'u-demo', name: 'demo', password: 'secret', roles: { demo: ['member'] } },
  ],
  region: 'RegionOne',
});

/** Path prefixes of the four services inside the one app (devstack's layout). */
export const PREFIX = Object.freeze({
  identity: '/identity',
  compute: '/compute',
  image: '/image',
  network: '/networking',
});

/** Service URLs as published in the catalog. */
export interface ServiceUrls {
  identity: string;
  identityV3: string;
  compute: string;
  computeV21: string;
  image: string;
  /** Neutron, unversioned as devstack catalogs it (clients discover v2.0 from its version list). */
  network: string;
  networkV20: string;
}

/** The catalog and version-document URLs for a public base URL (trailing slashes removed). */
export function serviceUrls(publicUrl: string): ServiceUrls {
  const base = publicUrl.replace(/\/+$/, '');
  return Object.freeze({
    identity: `${base}${PREFIX.identity}`,
    identityV3: `${base}${PREFIX.identity}/v3`,
    compute: `${base}${PREFIX.compute}`,
    computeV21: `${base}${PREFIX.compute}/v2.1`,
    image: `${base}${PREFIX.image}`,
    network: `${base}${PREFIX.network}`,
    networkV20: `${base}${PREFIX.network}/v2.0`,
  });
}
