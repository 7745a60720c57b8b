/**
 * Minimal Glance v2 under `/image`: version discovery (`/image`, `/image/versions`, no token), `GET /v2/images`
 * with `tag`, `name`, `status`, `visibility`, `limit`/`marker`, and `GET /v2/images/{id}`. Custom properties
 * are top-level keys of the image, as Glance renders them.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ImageRecord } from '../../../sim/nova/records.js';
import { authenticate, type ApiDeps } from './context.js';
import { ApiFault } from './faults.js';
import { PREFIX } from './options.js';
import { isoZulu } from './time-format.js';

const CORE_KEYS = new Set(['id', 'name', 'status', 'visibility', 'tags', 'size', 'owner', 'self', 'file', 'schema', 'checksum']);

/** An image as Glance v2 renders it. */
export function imageView(image: ImageRecord, owner: string, epochMs: number): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(image.properties)) if (!CORE_KEYS.has(k)) view[k] = val;
  return {
    ...view,
    id: image.id,
    name: image.name,
    status: 'active',
    visibility: 'public',
    tags: [...image.tags],
    container_format: 'bare',
    disk_format: 'qcow2',
    min_disk: 0,
    min_ram: 0,
    protected: false,
    os_hidden: false,
    owner,
    size: Math.round(image.sizeMb * 1024 * 1024),
    virtual_size: null,
    checksum: createHash('md5').update(image.id).digest('hex'),
    os_hash_algo: 'sha512',
    os_hash_value: createHash('sha512').update(image.id).digest('hex'),
    created_at: isoZulu(epochMs),
    updated_at: isoZulu(epochMs),
    self: `/v2/images/${image.id}`,
    file: `/v2/images/${image.id}/file`,
    schema: '/v2/schemas/image',
  };
}

type Query = Record<string, string | string[] | undefined>;

function all(query: Query, key: string): string[] {
  const v = query[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function filterImages(images: readonly ImageRecord[], query: Query): ImageRecord[] {
  const tags = all(query, 'tag');
  const [name] = all(query, 'name');
  const [status] = all(query, 'status');
  const [visibility] = all(query, 'visibility');
  const visible = visibility === undefined || visibility === 'public' || visibility === 'all';
  if (!visible || (status !== undefined && status !== 'active')) return [];
  return images.filter((i) => tags.every((t) => i.tags.includes(t)) && (name === undefined || i.name === name));
}

function page(images: ImageRecord[], query: Query): { items: ImageRecord[]; more: boolean } {
  const [marker] = all(query, 'marker');
  const [limitRaw] = all(query, 'limit');
  let start = 0;
  if (marker !== undefined) {
    const at = images.findIndex((i) => i.id === marker);
    if (at < 0) throw new ApiFault(400, `Invalid marker. Image ${marker.slice(0, 64)} could not be found.`);
    start = at + 1;
  }
  if (limitRaw === undefined) return { items: images.slice(start), more: false };
  if (!/^\d{1,9}$/.test(limitRaw)) throw new ApiFault(400, 'limit param must be an integer');
  const limit = Number(limitRaw);
  return { items: images.slice(start, start + limit), more: start + limit < images.length };
}

function listImages(deps: ApiDeps, request: FastifyRequest): Record<string, unknown> {
  const query = request.query as Query;
  const { items, more } = page(filterImages(deps.nova.images(), query), query);
  const owner = deps.identity.config.projects[0]?.id ?? '';
  const body: Record<string, unknown> = {
    images: items.map((i) => imageView(i, owner, deps.clock.epochMs)),
    schema: '/v2/schemas/images',
    first: '/v2/images',
  };
  const last = items[items.length - 1];
  if (more && last) body['next'] = `/v2/images?marker=${encodeURIComponent(last.id)}&limit=${items.length}`;
  return body;
}

function registerDiscovery(app: FastifyInstance, deps: ApiDeps): void {
  const versions = (_req: FastifyRequest, reply: FastifyReply) =>
    reply.code(300).send({ versions: [{ id: 'v2.16', status: 'CURRENT', links: [{ rel: 'self', href: `${deps.urls.image}/v2/` }] }] });
  for (const path of ['', '/', '/versions']) app.get(`${PREFIX.image}${path}`, versions);
}

/** Register Glance's routes on the app. */
export function registerGlanceRoutes(app: FastifyInstance, deps: ApiDeps): void {
  registerDiscovery(app, deps);
  app.register(
    async (scope) => {
      scope.addHook('onRequest', async (request) => authenticate(deps, request));
      scope.get('/images', async (request) => listImages(deps, request));
      scope.get('/images/:id', async (request) => {
        const id = (request.params as { id: string }).id;
        const image = deps.nova.images().find((i) => i.id === id);
        if (!image) throw new ApiFault(404, `No image found with ID ${id}`);
        return imageView(image, deps.identity.config.projects[0]?.id ?? '', deps.clock.epochMs);
      });
    },
    { prefix: `${PREFIX.image}/v2` },
  );
}
