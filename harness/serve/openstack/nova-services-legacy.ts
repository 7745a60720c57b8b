/**
 * The 2.1–2.52 service actions, `PUT /os-services/<action>` with `{"host", "binary", …}` (Nova's
 * `_perform_action`): answers with the short `{"service": {host, binary, status|forced_down}}` bodies.
 */
import type { NovaControl } from '../../../sim/nova/records.js';
import { novaBool } from './body-schema.js';
import { ApiFault } from './faults.js';
import { atLeast, type Microversion } from './microversion.js';

type Body = Record<string, unknown>;
type Action = (nova: NovaControl, host: string, binary: string, body: Body) => Record<string, unknown>;

function checkBinary(binary: string): void {
  if (binary !== 'nova-compute') {
    throw new ApiFault(400, `Updating a ${binary} service is not supported. Only nova-compute services can be updated.`);
  }
}

const enable: Action = (nova, host, binary) => {
  checkBinary(binary);
  nova.enable(host, binary);
  return { service: { host, binary, status: 'enabled' } };
};

const disable: Action = (nova, host, binary) => {
  checkBinary(binary);
  nova.disable(host, binary);
  return { service: { host, binary, status: 'disabled' } };
};

const disableLogReason: Action = (nova, host, binary, body) => {
  const reason = body['disabled_reason'];
  if (typeof reason !== 'string') throw new ApiFault(400, 'Missing disabled reason field');
  checkBinary(binary);
  nova.disable(host, binary, reason);
  return { service: { host, binary, status: 'disabled', disabled_reason: reason } };
};

const forceDown: Action = (nova, host, binary, body) => {
  if (!Object.hasOwn(body, 'forced_down')) throw new ApiFault(400, 'Missing forced_down field');
  const forced = novaBool(body['forced_down']);
  checkBinary(binary);
  nova.forceDown(host, binary, forced);
  return { service: { host, binary, forced_down: forced } };
};

/** Run the named legacy action; 404 `Unknown action` for others (and for `force-down` below 2.11). */
export function performLegacyUpdate(nova: NovaControl, v: Microversion, action: string, body: Body): Record<string, unknown> {
  const actions: Record<string, Action> = { enable, disable, 'disable-log-reason': disableLogReason };
  if (atLeast(v, 11)) actions['force-down'] = forceDown;
  const run = Object.hasOwn(actions, action) ? actions[action] : undefined;
  if (!run) throw new ApiFault(404, 'Unknown action');
  return run(nova, String(body['host']), String(body['binary']), body);
}
