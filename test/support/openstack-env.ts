import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServeEndpoints } from '../../harness/serve/serve.js';

/**
 * The environment the real `openstack` and `nova` clients need against a served world: the served credentials,
 * a fresh HOME (no user's clouds.yaml or cache), no OS_CLOUD or pinned microversion, and no proxy for loopback.
 */
export function openstackEnv(endpoints: ServeEndpoints, homePrefix: string): NodeJS.ProcessEnv {
  const o = endpoints.openstack;
  return {
    HOME: mkdtempSync(join(tmpdir(), homePrefix)),
    OS_AUTH_URL: o.authUrl, OS_USERNAME: o.username, OS_PASSWORD: o.password, OS_PROJECT_NAME: o.project,
    OS_USER_DOMAIN_NAME: o.domain, OS_PROJECT_DOMAIN_NAME: o.domain, OS_IDENTITY_API_VERSION: '3',
    OS_REGION_NAME: 'RegionOne', OS_INTERFACE: 'public', OS_CLOUD: '', OS_COMPUTE_API_VERSION: '',
    NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1',
  };
}
