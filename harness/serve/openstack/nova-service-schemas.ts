/**
 * Request schemas of `os-services` (`nova/api/openstack/compute/schemas/services.py`), per microversion.
 */
import type { BodySchema } from './body-schema.js';
import { atLeast, type Microversion } from './microversion.js';

/** Nova's `parameter_types.hostname`. */
export const HOSTNAME: BodySchema = { type: 'string', minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9-._]*$' };

const REASON: BodySchema = { type: 'string', minLength: 1, maxLength: 255 };

const SERVICE_UPDATE_V20: BodySchema = {
  type: 'object',
  properties: {
    host: HOSTNAME,
    binary: { type: 'string', minLength: 1, maxLength: 255 },
    disabled_reason: REASON,
  },
  required: ['host', 'binary'],
  additionalProperties: false,
};

const SERVICE_UPDATE_V211: BodySchema = {
  ...SERVICE_UPDATE_V20,
  properties: { ...SERVICE_UPDATE_V20.properties, forced_down: { type: 'boolean' } },
};

/** `PUT /os-services/{uuid}` body from 2.53: any of status, disabled_reason, forced_down. */
export const SERVICE_UPDATE_V253: BodySchema = {
  type: 'object',
  properties: {
    status: { type: 'enum', values: ['enabled', 'disabled'] },
    disabled_reason: REASON,
    forced_down: { type: 'boolean' },
  },
  additionalProperties: false,
};

/** From 2.75 the list accepts only `host` and `binary` query parameters. */
export const UNKNOWN_QUERY_V275: BodySchema = {
  type: 'object',
  properties: { host: { type: 'string' }, binary: { type: 'string' } },
  additionalProperties: false,
};

/** The legacy (2.1–2.52) update schema at microversion `v`. */
export function serviceUpdateSchema(v: Microversion): BodySchema {
  return atLeast(v, 11) ? SERVICE_UPDATE_V211 : SERVICE_UPDATE_V20;
}
