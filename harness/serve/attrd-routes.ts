/**
 * Pacemaker's attribute daemon, exposed for the agents `ihasim serve` hosts from outside: fence_compute and
 * fence_evacuate run pacemaker's `attrd_updater` to set and read the `evacuate` node attribute; the stand-in
 * script (test/support/bin/attrd_updater) forwards to these routes.
 *
 * `GET /attrd?node=N&name=A` → `{node, name, value}` (value "" when unset, as attrd answers);
 * `POST /attrd {node, name, value}` sets it in the world (`world.pacemaker.attrd`), waking NovaEvacuate-like
 * processes inside the world, if any.
 */
import type { FastifyInstance } from 'fastify';
import { IhasimError } from '../errors.js';
import type { ServeSession } from './serve-session.js';

/** attrd names and nodes are short identifiers; anything else is a client bug. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
const MAX_VALUE = 1024;

function field(body: Record<string, unknown>, key: string, pattern: RegExp | null): string {
  const v = body[key];
  if (typeof v !== 'string') throw new IhasimError('IHASIM_USAGE', `\`${key}\` must be a string`, [{ path: key, message: 'missing or not a string' }]);
  if (pattern && !pattern.test(v)) throw new IhasimError('IHASIM_USAGE', `\`${key}\` is not a valid attrd ${key}`, [{ path: key, message: 'invalid', found: v.slice(0, 64) }]);
  if (v.length > MAX_VALUE) throw new IhasimError('IHASIM_USAGE', `\`${key}\` is longer than ${MAX_VALUE} characters`);
  return v;
}

/** Nodes attrd knows: the computes (remote nodes) and the controllers. */
function checkNode(session: ServeSession, node: string): void {
  const w = session.world;
  if (!w.hosts.has(node) && !w.controllers.has(node)) {
    throw new IhasimError('IHASIM_USAGE', `unknown node \`${node}\`: attrd holds attributes of computes and controllers`);
  }
}

export function registerAttrdRoutes(app: FastifyInstance, session: ServeSession): void {
  app.get('/attrd', async (request) => {
    const q = (request.query ?? {}) as Record<string, unknown>;
    const node = field(q, 'node', NAME);
    const name = field(q, 'name', NAME);
    checkNode(session, node);
    return { node, name, value: session.world.pacemaker.attrd.get(node, name) };
  });
  app.post('/attrd', async (request) => {
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new IhasimError('IHASIM_USAGE', 'the body must be {"node": …, "name": …, "value": …}');
    const b = body as Record<string, unknown>;
    const node = field(b, 'node', NAME);
    const name = field(b, 'name', NAME);
    const value = field(b, 'value', null);
    checkNode(session, node);
    session.world.pacemaker.attrd.set(node, name, value);
    return { node, name, value };
  });
}
