import { describe, expect, it } from 'vitest';
import { startServe, type TimestampMode } from '../../../../harness/serve/serve.js';
import { serveSpec } from '../../../support/serve-scenario.js';

const EPOCH = Date.UTC(2025, 0, 1);
const SPEED = 20;

/** Token and compute services as an agent sees them after one wall-clock minute at 20×, by the fake wall clock. */
async function afterOneWallMinute(mode: TimestampMode): Promise<{ wallNow: number; expiresAt: number; updatedAt: number[] }> {
  let wall = EPOCH;
  const serve = await startServe({ spec: serveSpec(), speed: SPEED, clock: () => wall, tickMs: 0, timestamps: mode });
  try {
    wall += 60_000;
    const o = serve.endpoints.openstack;
    const auth = await fetch(`${o.identityV3}/auth/tokens`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { name: 'Default' }, password: 'secret' } } }, scope: { project: { name: 'admin', domain: { name: 'Default' } } } } }),
    });
    const token = auth.headers.get('x-subject-token')!;
    const { token: t } = (await auth.json()) as { token: { expires_at: string } };
    const services = (await (await fetch(`${o.compute}/os-services?binary=nova-compute`, { headers: { 'x-auth-token': token } })).json()) as { services: { updated_at: string }[] };
    // Nova's DB times carry no zone: they are UTC.
    return { wallNow: wall, expiresAt: Date.parse(t.expires_at), updatedAt: services.services.map((s) => Date.parse(`${s.updated_at}Z`)) };
  } finally {
    await serve.close();
  }
}

describe('serve --timestamps', () => {
  it('wall (default): updated_at is the wall-clock moment of the last heartbeat, never ahead of the wall clock; tokens last one wall hour', async () => {
    const { wallNow, expiresAt, updatedAt } = await afterOneWallMinute('wall');
    expect(expiresAt).toBe(wallNow + 3_600_000);
    for (const u of updatedAt) {
      expect(u).toBeLessThanOrEqual(wallNow);
      // Heartbeats every 10 s of sim time are at most 0.5 s of wall time apart at 20×.
      expect(wallNow - u).toBeLessThanOrEqual(10_000 / SPEED);
    }
  });

  it('sim: times are epoch + sim ms, so at 20× they run ahead of the wall clock', async () => {
    const { wallNow, updatedAt } = await afterOneWallMinute('sim');
    for (const u of updatedAt) expect(u - wallNow).toBeGreaterThan(18 * 60_000);
  });

  it('the default is wall', async () => {
    let wall = EPOCH;
    const serve = await startServe({ spec: serveSpec(), speed: SPEED, clock: () => wall, tickMs: 0 });
    try {
      wall += 60_000;
      const auth = await fetch(`${serve.endpoints.openstack.identityV3}/auth/tokens`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { name: 'Default' }, password: 'secret' } } } } }),
      });
      const { token } = (await auth.json()) as { token: { expires_at: string } };
      expect(Date.parse(token.expires_at)).toBe(wall + 3_600_000);
    } finally {
      await serve.close();
    }
  });
});
