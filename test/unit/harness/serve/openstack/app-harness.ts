/**
 * Test harness for the OpenStack API app: a fake Nova, a clock the test moves, `inject()` helpers that log in
 * and send microversion headers.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildOpenStackApp } from '../../../../../harness/serve/openstack/app.js';
import { createRequestMetrics, type RequestMetrics } from '../../../../../harness/serve/openstack/metrics.js';
import { FakeNova } from '../../../../support/fake-nova.js';

export const PUBLIC_URL = 'http://127.0.0.1:5000';
export const EPOCH_MS = Date.parse('2030-01-01T00:00:00Z');

export interface Harness {
  app: FastifyInstance;
  nova: FakeNova;
  metrics: RequestMetrics;
  login(user?: 'admin' | 'demo'): Promise<string>;
  call(method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD', url: string, opts?: CallOptions): Promise<LightMyRequestResponse>;
}

export interface CallOptions {
  token?: string;
  /** Sent as `OpenStack-API-Version: compute X` (and the legacy header when `legacy`). */
  version?: string;
  legacy?: boolean;
  body?: unknown;
  headers?: Record<string, string>;
}

export function authBody(user: string, password = 'secret', project: string | undefined = user): unknown {
  const auth: Record<string, unknown> = {
    identity: { methods: ['password'], password: { user: { name: user, password, domain: { name: 'Default' } } } },
  };
  if (project !== undefined) auth['scope'] = { project: { name: project, domain: { name: 'Default' } } };
  return { auth };
}

export function makeHarness(opts: { tokenTtlMs?: number } = {}): Harness {
  const nova = new FakeNova();
  const metrics = createRequestMetrics();
  const clock = { nowMs: () => nova.nowMs, epochMs: EPOCH_MS };
  const app = buildOpenStackApp({ nova, clock, publicUrl: PUBLIC_URL, metrics, ...(opts.tokenTtlMs ? { tokenTtlMs: opts.tokenTtlMs } : {}) });
  const call: Harness['call'] = async (method, url, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers['x-auth-token'] = o.token;
    if (o.version) headers[o.legacy ? 'x-openstack-nova-api-version' : 'openstack-api-version'] = o.legacy ? o.version : `compute ${o.version}`;
    const payload = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    if (payload !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    return app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
  };
  const login = async (user: 'admin' | 'demo' = 'admin') => {
    const res = await call('POST', '/identity/v3/auth/tokens', { body: authBody(user) });
    if (res.statusCode !== 201) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
    return String(res.headers['x-subject-token']);
  };
  return { app, nova, metrics, login, call };
}
