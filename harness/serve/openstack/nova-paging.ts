/**
 * Nova's paging (`nova/api/openstack/common.py`): `get_limit_and_marker` caps `limit` at `[api] max_limit`
 * (1000) and `_get_collection_links` adds a `rel=next` link when the page is full, with the request's parameters
 * sorted and `marker` set to the last item's id.
 */
import type { FastifyRequest } from 'fastify';
import { ANY_STRING, NON_NEGATIVE_INTEGER, queryLists, type QueryParamSchema } from './nova-query.js';

/** Nova's `[api] max_limit` default (`osapi_max_limit` before Newton). */
export const MAX_LIMIT = 1000;

/** `parameter_types.pagination_parameters` (multi-valued: the last value is used). */
export const PAGINATION_QUERY: Record<string, QueryParamSchema> = {
  limit: { check: NON_NEGATIVE_INTEGER },
  marker: { check: ANY_STRING },
};

export interface PageParams {
  /** min(max_limit, requested limit); max_limit when none was given. */
  limit: number;
  marker: string | undefined;
}

/** `get_limit_and_marker` over values that passed {@link PAGINATION_QUERY}. */
export function pageParams(values: ReadonlyMap<string, string>): PageParams {
  const raw = values.get('limit');
  // A huge digit string is still an integer to Python; anything over max_limit is max_limit.
  const limit = raw === undefined ? MAX_LIMIT : raw.length > 9 ? MAX_LIMIT : Math.min(MAX_LIMIT, Number(raw));
  return { limit, marker: values.get('marker') };
}

/** The items after the one whose key is `marker` (all of them without a marker); undefined: marker unknown. */
export function afterMarker<T>(items: readonly T[], marker: string | undefined, key: (item: T) => string): T[] | undefined {
  if (marker === undefined) return [...items];
  const at = items.findIndex((i) => key(i) === marker);
  return at < 0 ? undefined : items.slice(at + 1);
}

/** `_get_collection_links`: `[{rel: 'next', href}]` when the page holds exactly min(limit, max_limit) items. */
export function collectionLinks(request: FastifyRequest, baseUrl: string, collection: string, ids: readonly string[]): { rel: string; href: string }[] {
  const lists = queryLists(request);
  const rawLimit = lists.get('limit')?.at(-1);
  const maxItems = rawLimit === undefined ? MAX_LIMIT : Math.min(rawLimit.length > 9 ? MAX_LIMIT : Number(rawLimit), MAX_LIMIT);
  const last = ids[ids.length - 1];
  if (!maxItems || maxItems !== ids.length || last === undefined) return [];
  // `request.params` sorted by key, one value each (OrderedDict of a MultiDict keeps the last), marker replaced.
  const params = new Map<string, string>();
  for (const key of [...lists.keys()].sort()) params.set(key, lists.get(key)!.at(-1)!);
  params.set('marker', last);
  return [{ rel: 'next', href: `${baseUrl}/${collection}?${new URLSearchParams([...params]).toString()}` }];
}
