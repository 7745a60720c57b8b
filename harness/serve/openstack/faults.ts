/**
 * Errors as each OpenStack service renders them. Route handlers throw `ApiFault` (or the world throws
 * `NovaApiError`); the app's one error handler renders the body in the shape of the service the URL belongs to.
 */
import { NovaApiError } from '../../../sim/nova/records.js';

/** An HTTP refusal with the status and message the real service gives. */
export class ApiFault extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiFault';
    this.status = status;
  }
}

/** A Neutron refusal: Neutron names the exception class in its error body (`PortNotFound`, `HTTPBadRequest`…). */
export class NeutronFault extends ApiFault {
  readonly type: string;
  constructor(status: number, type: string, message: string) {
    super(status, message);
    this.name = 'NeutronFault';
    this.type = type;
  }
}

/** Which service's error shape to use. */
export type ApiArea = 'identity' | 'compute' | 'image' | 'network';

/** Nova fault names by status (`nova/api/openstack/wsgi.py` `Fault._fault_names`); others are `computeFault`. */
const NOVA_FAULT_NAMES: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  429: 'overLimit',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

const HTTP_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
};

/** The message keystonemiddleware and Keystone give for a missing, bad or expired token. */
export const UNAUTHORIZED_MESSAGE = 'The request you have made requires authentication.';

/** `{"badRequest": {"code": 400, "message": "…"}}`. */
export function novaFaultBody(status: number, message: string): Record<string, { code: number; message: string }> {
  return { [NOVA_FAULT_NAMES[status] ?? 'computeFault']: { code: status, message } };
}

/** Keystone's (and keystonemiddleware's) `{"error": {"code", "message", "title"}}`. */
export function keystoneErrorBody(status: number, message: string): { error: { code: number; message: string; title: string } } {
  return { error: { code: status, message, title: HTTP_TITLES[status] ?? 'Error' } };
}

/** Glance's JSON error (`{"code", "title", "message"}` flat; clients read `message`). */
export function glanceErrorBody(status: number, message: string): { code: number; title: string; message: string } {
  return { code: status, title: HTTP_TITLES[status] ?? 'Error', message };
}

/** webob's exception class names, which Neutron reports as the `type` of HTTP-level errors. */
const WEBOB_NAMES: Record<number, string> = {
  400: 'HTTPBadRequest',
  403: 'HTTPForbidden',
  404: 'HTTPNotFound',
  405: 'HTTPMethodNotAllowed',
  409: 'HTTPConflict',
  413: 'HTTPRequestEntityTooLarge',
  415: 'HTTPUnsupportedMediaType',
};

/** Neutron's `{"NeutronError": {"type", "message", "detail"}}` (`neutron/api/api_common.py` `get_exception_data`). */
export function neutronErrorBody(status: number, message: string, type?: string): { NeutronError: { type: string; message: string; detail: string } } {
  return { NeutronError: { type: type ?? WEBOB_NAMES[status] ?? 'HTTPInternalServerError', message, detail: '' } };
}

/** Render an error for an area. 401s are keystonemiddleware's on every service, as in a real cloud. */
export function errorBody(area: ApiArea, status: number, message: string, neutronType?: string): unknown {
  if (area === 'identity' || status === 401) return keystoneErrorBody(status, message);
  if (area === 'image') return glanceErrorBody(status, message);
  if (area === 'network') return neutronErrorBody(status, message, neutronType);
  return novaFaultBody(status, message);
}

/**
 * The answer to a body that is not JSON (a form post, text...), saying JSON is required, in each service's words:
 * Keystone's `json_body_before_request` raises `ValidationError(attribute='application/json', target='Content-Type
 * header')`, a 400; Nova answers 415 (`wsgi.py`: "Unsupported Content-Type", to which the accepted type is added
 * here) and so does Glance.
 */
export function notJsonBody(area: ApiArea, contentType: string): { status: number; message: string } {
  if (area === 'identity') {
    return {
      status: 400,
      message: 'Expecting to find application/json in Content-Type header. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.',
    };
  }
  const given = contentType.split(';')[0]!.trim().slice(0, 100) || 'none';
  return { status: 415, message: `Unsupported Content-Type: ${given}. Request bodies must be JSON (Content-Type: application/json).` };
}

/** Status and message of anything thrown inside a route; unknown errors become 500 (a bug, never bad input). */
export function classifyError(err: unknown): { status: number; message: string } {
  if (err instanceof ApiFault || err instanceof NovaApiError) return { status: err.status, message: err.message };
  const e = err as { statusCode?: unknown; code?: unknown; message?: unknown } | null;
  if (e && typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: e.statusCode, message: fastifyClientMessage(e.statusCode, String(e.code ?? ''), String(e.message)) };
  }
  return { status: 500, message: 'Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the Nova API log if possible.' };
}

/** Messages in the services' words for the request errors fastify detects before a route runs. */
function fastifyClientMessage(status: number, code: string, fallback: string): string {
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'Malformed request body';
  if (status === 413) return 'Request is too large.';
  if (status === 415) return 'Unsupported Content-Type';
  return fallback;
}
