/**
 * Keystone's JSON documents: the v3 version object, the token body with its service catalog
 * (identity, compute, image and network; public, internal and admin interfaces in one region).
 */
import type { TokenInfo } from './identity-store.js';
import type { IdentityConfig, ServiceUrls } from './options.js';
import { keystoneTime } from './time-format.js';

/** The v3 version object (`GET /identity/v3`), also the only entry of the `/identity` version list. */
export function identityVersion(urls: ServiceUrls): Record<string, unknown> {
  return {
    id: 'v3.14',
    status: 'stable',
    updated: '2020-04-07T00:00:00Z',
    links: [{ rel: 'self', href: `${urls.identityV3}/` }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
  };
}

interface CatalogService {
  type: string;
  name: string;
  id: string;
  url: string;
}

function catalogEntry(service: CatalogService, region: string, index: number): Record<string, unknown> {
  const interfaces = ['public', 'internal', 'admin'];
  return {
    type: service.type,
    name: service.name,
    id: service.id,
    endpoints: interfaces.map((iface, i) => ({
      id: `e-${index * 3 + i + 1}`,
      interface: iface,
      region,
      region_id: region,
      url: service.url,
    })),
  };
}

/** The catalog: identity at `/identity/v3`, compute at `/compute/v2.1`, image and network unversioned. */
export function catalog(urls: ServiceUrls, region: string): Record<string, unknown>[] {
  const services: CatalogService[] = [
    { type: 'identity', name: 'keystone', id: 's-keystone', url: urls.identityV3 },
    { type: 'compute', name: 'nova', id: 's-nova', url: urls.computeV21 },
    { type: 'image', name: 'glance', id: 's-glance', url: urls.image },
    { type: 'network', name: 'neutron', id: 's-neutron', url: urls.network },
  ];
  return services.map((s, i) => catalogEntry(s, region, i));
}

/** The `{"token": …}` body of issue and validate. */
export function tokenBody(token: TokenInfo, config: IdentityConfig, urls: ServiceUrls, withCatalog: boolean): Record<string, unknown> {
  const domain = { id: config.domain.id, name: config.domain.name };
  const body: Record<string, unknown> = {
    methods: ['password'],
    audit_ids: [token.auditId],
    issued_at: keystoneTime(token.issuedAtMs),
    expires_at: keystoneTime(token.expiresAtMs),
    user: { id: token.user.id, name: token.user.name, domain, password_expires_at: null },
    project: { id: token.project.id, name: token.project.name, domain },
    is_domain: false,
    roles: token.roles.map((name) => ({ id: `r-${name}`, name })),
  };
  if (withCatalog) body['catalog'] = catalog(urls, config.region ?? 'RegionOne');
  return { token: body };
}
