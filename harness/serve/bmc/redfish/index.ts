/**
 * Mock Redfish BMC service (HTTPS) that real `fence_redfish` drives unmodified. See `app.ts` for the service,
 * `auth.ts` for the credential model, `guard.ts` for reachability faults.
 */
export { buildRedfishApp, REDFISH_BODY_LIMIT_BYTES, type RedfishAppOptions } from './app.js';
export { startRedfishServer, type RedfishServer, type RedfishServerOptions } from './server.js';
export { REDFISH_ERRORS, type RedfishErrorBody } from './errors.js';
export { ALLOWABLE_RESET_TYPES, RESET_TYPES, type ResetType } from './reset-types.js';
