/**
 * What a newcomer pastes to point the OpenStack clients at `ihasim serve`: the `OS_*` environment
 * (python-openstackclient, novaclient, fence_compute's keystoneauth1) and a `clouds.yaml` entry named `ihasim`
 * (openstacksdk's `--os-cloud ihasim`). Both name the same user, project, domains and region as the catalog.
 */

/** The credentials and URLs the client config is made from. */
export interface ClientIdentity {
  authUrl: string;
  username: string;
  password: string;
  project: string;
  domain: string;
  region: string;
}

/** The cloud name of the clouds.yaml entry. */
export const CLOUD_NAME = 'ihasim';

/** `OS_*` variables, in the order `openrc` files list them. */
export function osEnv(id: ClientIdentity): Record<string, string> {
  return {
    OS_AUTH_URL: id.authUrl,
    OS_USERNAME: id.username,
    OS_PASSWORD: id.password,
    OS_PROJECT_NAME: id.project,
    OS_USER_DOMAIN_NAME: id.domain,
    OS_PROJECT_DOMAIN_NAME: id.domain,
    OS_IDENTITY_API_VERSION: '3',
    OS_REGION_NAME: id.region,
    OS_INTERFACE: 'public',
  };
}

/** A value as one shell word: bare when it is plainly safe, else single-quoted. */
function shellWord(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `export NAME=value` lines, ready to paste or `eval` into a POSIX shell. */
export function renderExports(env: Record<string, string>): string {
  return Object.entries(env).map(([k, v]) => `export ${k}=${shellWord(v)}`).join('\n');
}

/** A YAML scalar, double-quoted (JSON strings are valid YAML) so that no value is read as another type. */
const q = (s: string): string => JSON.stringify(s);

/** A complete clouds.yaml with one cloud, `ihasim`. */
export function cloudsYaml(id: ClientIdentity): string {
  return [
    'clouds:',
    `  ${CLOUD_NAME}:`,
    '    auth:',
    `      auth_url: ${q(id.authUrl)}`,
    `      username: ${q(id.username)}`,
    `      password: ${q(id.password)}`,
    `      project_name: ${q(id.project)}`,
    `      user_domain_name: ${q(id.domain)}`,
    `      project_domain_name: ${q(id.domain)}`,
    `    region_name: ${q(id.region)}`,
    '    identity_api_version: 3',
    '    interface: public',
    '',
  ].join('\n');
}
