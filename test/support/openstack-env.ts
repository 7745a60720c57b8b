import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../../harness/scenario/index.js';
import { startServe, type ServeEndpoints, type ServeHandle } from '../../harness/serve/serve.js';
import { writeServeScenario } from './serve-scenario.js';

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

/** The served test cloud at 20× and the environment the real clients need against it (the caller closes it). */
export async function startServedCloud(homePrefix: string): Promise<{ serve: ServeHandle; env: NodeJS.ProcessEnv }> {
  const serve = await startServe({ spec: await loadScenario(writeServeScenario()), speed: 20 });
  return { serve, env: openstackEnv(serve.endpoints, homePrefix) };
}
