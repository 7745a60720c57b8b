/**
 * Fuzz the Redfish mock with fast-check: bad JSON, wrong types, unknown ResetTypes, garbled auth, huge bodies,
 * random paths and methods. Properties: never a 5xx unless the node is `broken` (deliberate 500); a rejected
 * request never changes backend state; every error has the Redfish error shape; the app keeps serving.
 */
import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWABLE_RESET_TYPES, buildRedfishApp } from '../../harness/serve/bmc/redfish/index.js';
import type { BmcReachability } from '../../harness/serve/bmc/backend.js';
import { FakeRedfishBackend } from '../support/fake-redfish-backend.js';

const ADMIN = { username: 'admin', password: 'password' };
const NODES = ['compute-0', 'compute-1', 'compute-2'];
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

function basic(user: string, pass: string): string {
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
}

function freshBackend(reach: BmcReachability[] = ['ok', 'ok', 'ok']): FakeRedfishBackend {
  return new FakeRedfishBackend(NODES.map((name, i) => ({ name, credentials: ADMIN, reachability: reach[i] ?? 'ok' })));
}

/** Injects, turning a deliberately dropped connection (unreachable node) into `undefined`. */
async function send(app: ReturnType<typeof buildRedfishApp>, opts: InjectOptions): Promise<LightMyRequestResponse | undefined> {
  try {
    return await app.inject(opts);
  } catch (err) {
    if (err instanceof Error && /destroyed/.test(err.message)) return undefined;
    throw err;
  }
}

/**
 * Whether a request path is about system `node`, as the server sees it: the client (here light-my-request, like
 * python-requests) resolves dot segments, the router collapses duplicate slashes and percent-decodes parameters.
 */
function namesSystem(url: string, node: string): boolean {
  const segments = new URL(url, 'http://localhost').pathname.split('/').filter(Boolean).map((seg) => {
    try {
      return decodeURIComponent(seg);
    } catch {
      return seg;
    }
  });
  return segments.length >= 4 && segments.slice(0, 4).join('/') === `redfish/v1/Systems/${node}`;
}

function expectRedfishError(res: LightMyRequestResponse): void {
  const body = res.json() as { error?: { code?: unknown; message?: unknown; '@Message.ExtendedInfo'?: unknown } };
  expect(typeof body.error?.code).toBe('string');
  expect(typeof body.error?.message).toBe('string');
  expect(Array.isArray(body.error?.['@Message.ExtendedInfo'])).toBe(true);
}

const validResetBody = (text: string): boolean => {
  try {
    const v: unknown = JSON.parse(text);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
    const t = (v as Record<string, unknown>)['ResetType'];
    return typeof t === 'string' && (ALLOWABLE_RESET_TYPES as readonly string[]).includes(t);
  } catch {
    return false;
  }
};

const resetTypeJunk = fc.oneof(
  fc.string(),
  fc.constantFrom('', 'on', 'FORCEOFF', 'ForceOff ', 'PushPowerButton', 'Suspend', '__proto__', 'constructor'),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.constantFrom(...ALLOWABLE_RESET_TYPES)),
  fc.dictionary(fc.string(), fc.jsonValue()),
);

/** Bodies that must all be rejected by the Reset action. */
const badResetBody = fc
  .oneof(
    fc.json(),
    fc.string(),
    fc.record({ ResetType: resetTypeJunk }, { requiredKeys: [] }).map((r) => JSON.stringify(r)),
    fc.record({ resettype: fc.constantFrom(...ALLOWABLE_RESET_TYPES) }).map((r) => JSON.stringify(r)),
    fc.constantFrom('{', '{"ResetType":', '[', 'null', '{"ResetType":"ForceOff"', '\u0000', '{"__proto__":{}}'),
    fc.constant(JSON.stringify({ ResetType: 'Foo', pad: 'x'.repeat(100_000) })),
  )
  .filter((text) => !validResetBody(text));

const authHeader = fc.oneof(
  fc.constant<Record<string, string>>({}),
  fc.string().map((s) => ({ authorization: s })),
  fc.string().map((s) => ({ authorization: `Basic ${s}` })),
  fc.tuple(fc.string(), fc.string()).map(([u, p]) => ({ authorization: basic(u, p) })),
  fc.string().filter((p) => p !== ADMIN.password).map((p) => ({ authorization: basic(ADMIN.username, p) })),
  fc.string().map((t) => ({ 'x-auth-token': t })),
  fc.string().map((t) => ({ 'x-auth-token': t, authorization: basic(ADMIN.username, ADMIN.password) })),
);

const segment = fc.oneof(
  fc.constantFrom('redfish', 'v1', 'Systems', 'compute-0', 'compute-1', 'compute-2', 'compute-9', 'Actions',
    'ComputerSystem.Reset', 'SessionService', 'Sessions', '1', '$metadata', 'odata', '..', '.', '%2e%2e', '%00',
    '%ZZ', '%E0%A4%A', '', 'x'.repeat(300), '%2F'),
  fc.string().map((s) => encodeURIComponent(s)),
);

const path = fc.oneof(
  fc.array(segment, { maxLength: 8 }).map((segs) => `/${segs.join('/')}`),
  fc.array(segment, { maxLength: 4 }).map((segs) => `/redfish/v1/Systems/${segs.join('/')}`),
  fc.tuple(fc.constantFrom(...NODES), fc.string()).map(([n, q]) => `/redfish/v1/Systems/${n}?${encodeURIComponent(q)}`),
);

const method = fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND', 'MKCOL');
const contentType = fc.constantFrom(undefined, 'application/json', 'text/plain', 'application/xml',
  'application/json; charset=utf-8', 'multipart/form-data', 'application/x-www-form-urlencoded', '*/*', 'garbage');

describe('fuzz: redfish mock', () => {
  let backend: FakeRedfishBackend;
  let app: ReturnType<typeof buildRedfishApp>;
  beforeAll(() => {
    backend = freshBackend();
    app = buildRedfishApp({ backend });
  });
  afterAll(async () => {
    await app.close();
  });
  afterEach(() => {
    for (const n of NODES) backend.setReachability(n, 'ok');
  });

  it('a bad Reset body always gets a 4xx Redfish error and never changes state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...NODES), badResetBody, contentType, async (node, payload, ct) => {
        const before = backend.snapshot();
        const headers: Record<string, string> = { authorization: basic(ADMIN.username, ADMIN.password) };
        if (ct) headers['content-type'] = ct;
        const res = await app.inject({ method: 'POST', url: `/redfish/v1/Systems/${node}/Actions/ComputerSystem.Reset`, headers, payload });
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
        expectRedfishError(res);
        expect(backend.snapshot()).toEqual(before);
      }),
      { numRuns: RUNS },
    );
  });

  it('missing or garbled credentials always get 401 on protected resources, with no state change', async () => {
    const protectedCall = fc.constantFrom(
      ['GET', '/redfish/v1/Systems'],
      ['GET', '/redfish/v1/Systems/compute-0'],
      ['POST', '/redfish/v1/Systems/compute-1/Actions/ComputerSystem.Reset'],
      ['GET', '/redfish/v1/SessionService/Sessions'],
      ['DELETE', '/redfish/v1/SessionService/Sessions/1'],
      ['GET', '/redfish/v1/Nowhere'],
    );
    await fc.assert(
      fc.asyncProperty(protectedCall, authHeader, async ([m, url], auth) => {
        const before = backend.snapshot();
        const res = await app.inject({
          method: m as 'GET',
          url,
          headers: { ...auth, 'content-type': 'application/json' },
          payload: m === 'POST' ? '{"ResetType":"ForceOff"}' : undefined,
        });
        expect(res.statusCode).toBe(401);
        expectRedfishError(res);
        expect(backend.snapshot()).toEqual(before);
      }),
      { numRuns: RUNS },
    );
  });

  it('random requests: no 5xx unless the node is broken; failures change nothing; the app keeps serving', async () => {
    const reach = fc.array(fc.constantFrom<BmcReachability>('ok', 'ok', 'broken', 'unreachable'), { minLength: 3, maxLength: 3 });
    const body = fc.option(fc.oneof(fc.json(), fc.string(), fc.constant('x'.repeat(70_000))), { nil: undefined });
    const anyAuth = fc.oneof(authHeader, fc.constant({ authorization: basic(ADMIN.username, ADMIN.password) }));
    await fc.assert(
      fc.asyncProperty(reach, method, path, anyAuth, contentType, body, async (r, m, url, auth, ct, payload) => {
        NODES.forEach((n, i) => backend.setReachability(n, r[i] ?? 'ok'));
        const before = backend.snapshot();
        const headers: Record<string, string> = { ...auth };
        if (ct) headers['content-type'] = ct;
        const res = await send(app, { method: m as 'GET', url, headers, payload });
        const targets = (state: BmcReachability) => NODES.some((n, i) => r[i] === state && namesSystem(url, n));
        if (res === undefined) expect(targets('unreachable')).toBe(true);
        else if (res.statusCode >= 500) expect(targets('broken')).toBe(true);
        if (!res || res.statusCode >= 400) expect(backend.snapshot()).toEqual(before);
        if (res && res.statusCode >= 400 && m !== 'HEAD') expectRedfishError(res);
        expect((await app.inject({ url: '/redfish/v1/' })).statusCode).toBe(200);
      }),
      { numRuns: RUNS },
    );
  });
});
