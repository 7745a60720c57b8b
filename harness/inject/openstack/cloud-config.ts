/**
 * Where the campaign's OpenStack credentials come from: a clouds.yaml entry (openstacksdk's search order:
 * OS_CLIENT_CONFIG_FILE, ./clouds.yaml, ~/.config/openstack/clouds.yaml, /etc/openstack/clouds.yaml) or the
 * OS_* variables (the names of harness/serve/client-config.ts `osEnv`). Keystone v3 password auth only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { IhasimError } from '../../errors.js';
import type { CloudRef } from '../campaign.js';
import type { Redactor } from '../secrets.js';

export interface CloudCredentials {
  authUrl: string;
  username: string;
  password: string;
  projectName: string;
  userDomainName: string;
  projectDomainName: string;
  region?: string;
  interface: string;
  insecure: boolean;
}

function cloudsFiles(): string[] {
  const env = process.env['OS_CLIENT_CONFIG_FILE'];
  return [...(env ? [env] : []), join(process.cwd(), 'clouds.yaml'), join(homedir(), '.config/openstack/clouds.yaml'), '/etc/openstack/clouds.yaml'];
}

function fail(message: string): never {
  throw new IhasimError('IHASIM_INJECT_PREFLIGHT', message);
}

function fromEnv(insecure: boolean): CloudCredentials {
  const get = (k: string) => process.env[k] || undefined;
  const need = (k: string) => get(k) ?? fail(`cloud.env: ${k} is not set`);
  return {
    authUrl: need('OS_AUTH_URL'), username: need('OS_USERNAME'), password: need('OS_PASSWORD'), projectName: need('OS_PROJECT_NAME'),
    userDomainName: get('OS_USER_DOMAIN_NAME') ?? 'Default', projectDomainName: get('OS_PROJECT_DOMAIN_NAME') ?? 'Default',
    ...(get('OS_REGION_NAME') ? { region: get('OS_REGION_NAME')! } : {}), interface: get('OS_INTERFACE') ?? 'public',
    insecure: insecure || get('OS_INSECURE') === 'true',
  };
}

function fromCloudsYaml(name: string, insecure: boolean): CloudCredentials {
  const file = cloudsFiles().find((f) => existsSync(f)) ?? fail(`cloud.name ${name}: no clouds.yaml found (looked in ${cloudsFiles().join(', ')})`);
  let doc: { clouds?: Record<string, Record<string, unknown>> };
  try {
    doc = parse(readFileSync(file, 'utf8')) as typeof doc;
  } catch {
    fail(`cloud.name ${name}: ${file} is not valid YAML`);
  }
  const cloud = doc?.clouds?.[name] ?? fail(`cloud.name ${name}: no such cloud in ${file} (clouds: ${Object.keys(doc?.clouds ?? {}).join(', ') || 'none'})`);
  const auth = (cloud['auth'] ?? {}) as Record<string, string>;
  const need = (k: string) => auth[k] ?? fail(`cloud.name ${name}: auth.${k} missing in ${file}`);
  return {
    authUrl: need('auth_url'), username: need('username'), password: need('password'), projectName: need('project_name'),
    userDomainName: auth['user_domain_name'] ?? 'Default', projectDomainName: auth['project_domain_name'] ?? 'Default',
    ...(typeof cloud['region_name'] === 'string' ? { region: cloud['region_name'] } : {}),
    interface: typeof cloud['interface'] === 'string' ? cloud['interface'] : 'public',
    insecure: insecure || cloud['verify'] === false,
  };
}

/** The credentials of `cloud:`; the password is registered with the redactor. */
export function resolveCloud(ref: CloudRef, redactor: Redactor): CloudCredentials {
  const c = ref.env ? fromEnv(ref.insecure) : fromCloudsYaml(ref.name!, ref.insecure);
  redactor.add(c.password);
  return c;
}
