/**
 * Flavors: `GET /flavors`, `/flavors/detail` (with `is_public`), `/flavors/{id}`, `/flavors/{id}/os-extra_specs`
 * (and `/{key}`), `/flavors/{id}/os-flavor-access`. Every world flavor is public. Deltas: `description` ≥ 2.55,
 * inline `extra_specs` ≥ 2.61, `swap` 0 instead of "" ≥ 2.75.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FlavorRecord } from '../../../sim/nova/records.js';
import { microversionOf, queryParam, type ApiDeps } from './context.js';
import { ApiFault } from './faults.js';
import { atLeast, type Microversion } from './microversion.js';
import type { ServiceUrls } from './options.js';

function links(f: FlavorRecord, urls: ServiceUrls): { rel: string; href: string }[] {
  return [
    { rel: 'self', href: `${urls.computeV21}/flavors/${f.id}` },
    { rel: 'bookmark', href: `${urls.compute}/flavors/${f.id}` },
  ];
}

/** A flavor as `/flavors/detail` and `/flavors/{id}` render it at microversion `v`. */
export function flavorDetail(f: FlavorRecord, v: Microversion, urls: ServiceUrls): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: f.id,
    name: f.name,
    ram: f.ramMb,
    vcpus: f.vcpus,
    disk: f.diskGb,
    swap: atLeast(v, 75) ? 0 : '',
    rxtx_factor: 1.0,
    'OS-FLV-EXT-DATA:ephemeral': 0,
    'OS-FLV-DISABLED:disabled': false,
    'os-flavor-access:is_public': true,
    links: links(f, urls),
  };
  if (atLeast(v, 55)) view['description'] = null;
  if (atLeast(v, 61)) view['extra_specs'] = { ...f.extraSpecs };
  return view;
}

/** Nova's `_parse_is_public`: absent → public only, `none` → all, else an oslo boolean (400 otherwise). */
function publicFilter(raw: string | undefined): boolean | null {
  if (raw === undefined) return true;
  const word = raw.trim().toLowerCase();
  if (word === 'none') return null;
  if (['1', 't', 'true', 'on', 'y', 'yes'].includes(word)) return true;
  if (['0', 'f', 'false', 'off', 'n', 'no'].includes(word)) return false;
  throw new ApiFault(400, `Invalid is_public filter [${raw.slice(0, 64)}]`);
}

function selectFlavors(deps: ApiDeps, request: FastifyRequest): FlavorRecord[] {
  const isPublic = publicFilter(queryParam(request, 'is_public'));
  return isPublic === false ? [] : [...deps.nova.flavors()];
}

function findFlavor(deps: ApiDeps, id: string): FlavorRecord {
  const flavor = deps.nova.flavors().find((f) => f.id === id);
  if (!flavor) throw new ApiFault(404, `Flavor ${id} could not be found.`);
  return flavor;
}

function flavorId(request: FastifyRequest): string {
  return (request.params as { id: string }).id;
}

function registerExtraSpecs(scope: FastifyInstance, deps: ApiDeps): void {
  scope.get('/flavors/:id/os-extra_specs', async (request) => ({ extra_specs: { ...findFlavor(deps, flavorId(request)).extraSpecs } }));
  scope.get('/flavors/:id/os-extra_specs/:key', async (request) => {
    const flavor = findFlavor(deps, flavorId(request));
    const key = (request.params as { key: string }).key;
    if (!Object.hasOwn(flavor.extraSpecs, key)) throw new ApiFault(404, `Flavor ${flavor.id} has no extra specs with key ${key}.`);
    return { [key]: flavor.extraSpecs[key] };
  });
  scope.get('/flavors/:id/os-flavor-access', async (request) => {
    findFlavor(deps, flavorId(request));
    throw new ApiFault(404, 'Access list not available for public flavors.');
  });
}

/** Register the flavor routes on the authenticated compute scope. */
export function registerNovaFlavorRoutes(scope: FastifyInstance, deps: ApiDeps): void {
  scope.get('/flavors', async (request) => {
    const v = microversionOf(request);
    const brief = (f: FlavorRecord) => ({ id: f.id, name: f.name, links: links(f, deps.urls), ...(atLeast(v, 55) ? { description: null } : {}) });
    return { flavors: selectFlavors(deps, request).map(brief) };
  });
  scope.get('/flavors/detail', async (request) => ({
    flavors: selectFlavors(deps, request).map((f) => flavorDetail(f, microversionOf(request), deps.urls)),
  }));
  scope.get('/flavors/:id', async (request) => ({ flavor: flavorDetail(findFlavor(deps, flavorId(request)), microversionOf(request), deps.urls) }));
  registerExtraSpecs(scope, deps);
}
