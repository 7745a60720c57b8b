/**
 * Query-string validation as Nova's `@validation.query_schema` does it (`nova/api/validation/validators.py`):
 * every value is a list (`multi_params`), `single_param` adds `maxItems: 1`, and failures read
 * `Invalid input for query parameters <name>. Value: <value>. <jsonschema message>`.
 */
import type { FastifyRequest } from 'fastify';
import { pyRepr } from './body-schema.js';
import { ApiFault } from './faults.js';

/** Every query parameter as the list of its values (fastify gives a string, or an array when repeated). */
export function queryLists(request: FastifyRequest): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    if (value === undefined) continue;
    out.set(key, Array.isArray(value) ? value.map(String) : [String(value)]);
  }
  return out;
}

function queryFault(name: string, value: string, message: string): ApiFault {
  return new ApiFault(400, `Invalid input for query parameters ${name}. Value: ${value.slice(0, 255)}. ${message}`);
}

/** A check of one value: undefined when it passes, else the jsonschema message. */
export type ValueCheck = (value: string) => string | undefined;

/** `parameter_types.non_negative_integer` (a query value is always a string here). */
export const NON_NEGATIVE_INTEGER: ValueCheck = (v) =>
  !/^[0-9]*$/.test(v) ? `${pyRepr(v)} does not match '^[0-9]*$'` : v.length < 1 ? `${pyRepr(v)} is too short` : undefined;

/** `parameter_types.boolean`. */
export const BOOLEAN: ValueCheck = (v) =>
  ['True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no'].includes(v)
    ? undefined
    : `${pyRepr(v)} is not one of [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no']`;

/** `parameter_types.fqdn`. */
export const FQDN: ValueCheck = (v) =>
  !/^[a-zA-Z0-9-._]*$/.test(v) ? `${pyRepr(v)} does not match '^[a-zA-Z0-9-._]*$'` : v.length < 1 ? `${pyRepr(v)} is too short` : v.length > 255 ? `${pyRepr(v)} is too long` : undefined;

export const ANY_STRING: ValueCheck = () => undefined;

export interface QueryParamSchema {
  check: ValueCheck;
  /** `single_param`: at most one value. */
  single?: boolean;
}

/**
 * Validate the query against `properties`; with `strict` (`additionalProperties: False`) an unknown key is a 400.
 * Returns the last value of each present parameter (webob's `GET[key]`).
 */
export function validateQuery(request: FastifyRequest, properties: Record<string, QueryParamSchema>, strict: boolean): Map<string, string> {
  const lists = queryLists(request);
  const values = new Map<string, string>();
  for (const [name, schema] of Object.entries(properties)) {
    const list = lists.get(name);
    if (!list) continue;
    for (const value of list) {
      const problem = schema.check(value);
      if (problem !== undefined) throw queryFault(name, value, problem);
    }
    if (schema.single && list.length > 1) throw queryFault(name, pyRepr(list), `${pyRepr(list)} is too long`);
    values.set(name, list[list.length - 1] as string);
  }
  if (strict) {
    const extra = [...lists.keys()].filter((k) => !Object.hasOwn(properties, k)).sort();
    if (extra.length === 1) throw new ApiFault(400, `Additional properties are not allowed (${pyRepr(extra[0])} was unexpected)`);
    if (extra.length > 1) throw new ApiFault(400, `Additional properties are not allowed (${extra.map((k) => pyRepr(k)).join(', ')} were unexpected)`);
  }
  return values;
}

/** oslo's `bool_from_string(strict=True)` of a value that passed {@link BOOLEAN}. */
export function isTrueString(value: string | undefined): boolean {
  return value !== undefined && ['true', '1', 'on', 'yes'].includes(value.toLowerCase());
}
