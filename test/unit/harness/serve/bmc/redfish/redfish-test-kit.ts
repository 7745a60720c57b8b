/** Shared helpers for the Redfish mock's unit tests: an app over a fake backend, auth headers, JSON requests. */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildRedfishApp } from '../../../../../../harness/serve/bmc/redfish/index.js';
import { FakeRedfishBackend, type FakeNodeSpec } from '../../../../../support/fake-redfish-backend.js';

export const ADMIN = { username: 'admin', password: 'password' };
export const OTHER = { username: 'ops', password: 's3cret' };

/** Two nodes with the default credentials, one with its own, one IPMI-only. */
export const DEFAULT_NODES: FakeNodeSpec[] = [
  { name: 'compute-0', credentials: ADMIN, power: 'on' },
  { name: 'compute-1', credentials: ADMIN, power: 'off' },
  { name: 'compute-2', credentials: OTHER, power: 'on' },
  { name: 'compute-3', credentials: ADMIN, redfish: false },
];

export interface Kit {
  app: FastifyInstance;
  backend: FakeRedfishBackend;
}

export function makeKit(nodes: FakeNodeSpec[] = DEFAULT_NODES): Kit {
  const backend = new FakeRedfishBackend(nodes);
  return { app: buildRedfishApp({ backend }), backend };
}

export function basic(creds: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
}

export const RESET_URI = (node: string) => `/redfish/v1/Systems/${node}/Actions/ComputerSystem.Reset`;

/** GET with Basic credentials (ADMIN unless told). */
export function get(kit: Kit, url: string, creds = ADMIN): Promise<LightMyRequestResponse> {
  return kit.app.inject({ method: 'GET', url, headers: { authorization: basic(creds), accept: 'application/json' } });
}

/** POST a JSON body (object → JSON.stringify; string → sent as is) with Basic credentials. */
export function post(kit: Kit, url: string, body: unknown, creds = ADMIN): Promise<LightMyRequestResponse> {
  const opts: InjectOptions = {
    method: 'POST',
    url,
    headers: { authorization: basic(creds), 'content-type': 'application/json' },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  };
  return kit.app.inject(opts);
}

/** Asserts the Redfish error shape and returns the ExtendedInfo MessageId (without the registry prefix). */
export function errorMessageId(res: LightMyRequestResponse): string {
  const body = res.json() as { error: { code: string; message: string; '@Message.ExtendedInfo': Array<{ MessageId: string }> } };
  if (!/^Base\.1\.\d+\.\d+\.GeneralError$/.test(body.error.code)) throw new Error(`bad error code ${body.error.code}`);
  if (typeof body.error.message !== 'string' || body.error.message.length === 0) throw new Error('no error message');
  const id = body.error['@Message.ExtendedInfo'][0]?.MessageId ?? '';
  return id.replace(/^Base\.1\.\d+\.\d+\./, '');
}
