/**
 * Redfish error bodies and the one registry of errors this mock answers with.
 *
 * Every error body has the DSP0266 shape that sushy-tools' `error.json` also uses:
 * `{"error": {"code": "Base.1.16.0.GeneralError", "message": …, "@Message.ExtendedInfo": [{MessageId, Message,
 * MessageArgs, Severity, Resolution}]}}`. The top-level `code` is always `GeneralError` (as sushy-tools and most BMCs
 * do); the specific DMTF Base registry message sits in `@Message.ExtendedInfo`.
 */

/** Base message registry version the MessageIds below are taken from. */
export const BASE_REGISTRY = 'Base.1.16.0';

export interface RedfishMessage {
  '@odata.type': string;
  MessageId: string;
  Message: string;
  MessageArgs: string[];
  Severity: 'OK' | 'Warning' | 'Critical';
  Resolution: string;
}

export interface RedfishErrorBody {
  error: {
    code: string;
    message: string;
    '@Message.ExtendedInfo': RedfishMessage[];
  };
}

/** An error that reaches a route and is answered with `status` and a Redfish error body. */
export class RedfishHttpError extends Error {
  readonly status: number;
  readonly messageId: string;
  readonly args: readonly string[];
  readonly resolution: string;
  /** Extra response headers (`Allow` on 405, `WWW-Authenticate` on 401). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(spec: RedfishErrorSpec, args: readonly string[], headers: Record<string, string> = {}) {
    super(spec.render(args));
    this.name = 'RedfishHttpError';
    this.status = spec.status;
    this.messageId = spec.messageId;
    this.args = args;
    this.resolution = spec.resolution;
    this.headers = headers;
  }

  /** The JSON body for this error. */
  body(): RedfishErrorBody {
    return redfishErrorBody(this.message, this.messageId, this.args, this.resolution);
  }
}

interface RedfishErrorSpec {
  status: number;
  messageId: string;
  resolution: string;
  render(args: readonly string[]): string;
}

/** Builds the Redfish error body for a message. */
export function redfishErrorBody(
  message: string,
  messageId: string,
  args: readonly string[] = [],
  resolution = 'None.',
): RedfishErrorBody {
  const severity = messageId === 'ActionParameterValueNotInList' ? 'Warning' : 'Critical';
  return {
    error: {
      code: `${BASE_REGISTRY}.GeneralError`,
      message,
      '@Message.ExtendedInfo': [
        {
          '@odata.type': '#Message.v1_1_1.Message',
          MessageId: `${BASE_REGISTRY}.${messageId}`,
          Message: message,
          MessageArgs: [...args],
          Severity: severity,
          Resolution: resolution,
        },
      ],
    },
  };
}

/** One registry entry: fills `%1`, `%2`, … of `template` with the arguments, like the DMTF registry. */
function define(status: number, messageId: string, template: string, resolution: string): RedfishErrorSpec {
  return {
    status,
    messageId,
    resolution,
    render: (args) => template.replace(/%(\d)/g, (_m, i: string) => args[Number(i) - 1] ?? ''),
  };
}

/** The registry: every error this mock can answer with. Keys are stable; tests iterate over them. */
export const REDFISH_ERRORS = {
  unauthorized: define(401, 'NoValidSession', 'There is no valid session established with the implementation.', 'Establish a session (or send HTTP Basic credentials) before retrying.'),
  resourceMissing: define(404, 'ResourceMissingAtURI', 'The resource at the URI %1 was not found.', 'Place a valid resource at the URI or correct the URI and resubmit the request.'),
  methodNotAllowed: define(405, 'GeneralError', 'The method %1 is not allowed on %2; allowed: %3.', 'Use one of the methods listed in the Allow header.'),
  malformedJson: define(400, 'MalformedJSON', 'The request body submitted was malformed JSON and could not be parsed by the receiving service: %1', 'Ensure that the request body is valid JSON and resubmit the request.'),
  bodyNotObject: define(400, 'MalformedJSON', 'The request body must be a JSON object, found %1.', 'Send a JSON object and resubmit the request.'),
  payloadTooLarge: define(413, 'GeneralError', 'The request body is larger than the limit of %1 bytes.', 'Send a smaller request body.'),
  unsupportedMediaType: define(415, 'GeneralError', 'The media type %1 is not supported; send application/json.', 'Resubmit the request with Content-Type: application/json.'),
  badRequest: define(400, 'GeneralError', 'The request could not be processed: %1', 'Correct the request and resubmit it.'),
  actionParameterMissing: define(400, 'ActionParameterMissing', 'The action %1 requires the parameter %2 to be present in the request body. Allowable values: %3.', 'Supply the action with the required parameter in the request body when the request is resubmitted.'),
  actionParameterType: define(400, 'ActionParameterValueTypeError', "The value '%1' for the parameter %2 in the action %3 is of a different type than the parameter can accept. Allowable values: %4.", 'Correct the value for the parameter in the request body and resubmit the request if the operation failed.'),
  actionParameterNotInList: define(400, 'ActionParameterValueNotInList', "The value '%1' for the parameter %2 in the action %3 is not in the list of acceptable values: %4.", 'Choose a value from the enumeration list that the implementation can support and resubmit the request if the operation failed.'),
  propertyMissing: define(400, 'PropertyMissing', 'The property %1 is a required property and must be included in the request.', 'Ensure that the property is in the request body and has a valid value and resubmit the request if the operation failed.'),
  propertyType: define(400, 'PropertyValueTypeError', "The value '%1' for the property %2 is of a different type than the property can accept.", 'Correct the value for the property in the request body and resubmit the request if the operation failed.'),
  bmcBroken: define(500, 'InternalError', 'The request failed due to an internal service error: the BMC of %1 is broken.', 'Resubmit the request. If the problem persists, consider resetting the service.'),
  internal: define(500, 'InternalError', 'The request failed due to an internal service error. The service is still operational.', 'Resubmit the request. If the problem persists, consider resetting the service.'),
} as const;

export type RedfishErrorName = keyof typeof REDFISH_ERRORS;

/** Creates the named error with its message arguments. */
export function redfishError(
  name: RedfishErrorName,
  args: readonly string[] = [],
  headers: Record<string, string> = {},
): RedfishHttpError {
  return new RedfishHttpError(REDFISH_ERRORS[name], args, headers);
}
