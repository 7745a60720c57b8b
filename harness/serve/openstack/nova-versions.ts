/**
 * Nova's version documents, served without a token: `GET /compute` and `/compute/` list the versions
 * (200, as Nova's `Versions.index` answers its root), `GET /compute/v2.1` and `/compute/v2.1/` describe v2.1
 * with the microversion range.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiDeps } from './context.js';
import { formatMicroversion, MAX_MICROVERSION, MIN_MICROVERSION } from './microversion.js';
import { PREFIX, type ServiceUrls } from './options.js';

function v21(urls: ServiceUrls): Record<string, unknown> {
  return {
    id: 'v2.1',
    status: 'CURRENT',
    version: formatMicroversion(MAX_MICROVERSION),
    min_version: formatMicroversion(MIN_MICROVERSION),
    updated: '2013-07-23T11:33:21Z',
    links: [{ href: `${urls.computeV21}/`, rel: 'self' }],
  };
}

/** `{"versions": [v2.0 (deprecated), v2.1]}`. */
export function computeVersions(urls: ServiceUrls): Record<string, unknown> {
  const v20 = {
    id: 'v2.0',
    status: 'DEPRECATED',
    version: '',
    min_version: '',
    updated: '2025-07-04T12:00:00Z',
    links: [{ href: `${urls.compute}/v2/`, rel: 'self' }],
  };
  return { versions: [v20, v21(urls)] };
}

/** `{"version": v2.1 with describedby link and media types}`. */
export function computeVersionV21(urls: ServiceUrls): Record<string, unknown> {
  const doc = v21(urls);
  return {
    version: {
      ...doc,
      links: [...(doc['links'] as object[]), { href: 'http://docs.openstack.org/', rel: 'describedby', type: 'text/html' }],
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' }],
    },
  };
}

/** Register the unauthenticated compute version documents. */
export function registerNovaVersionRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const list = (_req: FastifyRequest, reply: FastifyReply) => reply.send(computeVersions(deps.urls));
  const one = (_req: FastifyRequest, reply: FastifyReply) => reply.send(computeVersionV21(deps.urls));
  app.get(PREFIX.compute, list);
  app.get(`${PREFIX.compute}/`, list);
  app.get(`${PREFIX.compute}/v2.1`, one);
  app.get(`${PREFIX.compute}/v2.1/`, one);
}
