import type { Op } from '../../../kernel/process.js';
import { NovaApiError } from '../../nova-api-error.js';
import type { ServiceRecord } from '../../../nova/records.js';
import type { RecoverySpec } from '../../../scenario-spec.js';
import type { DesignPorts } from '../../design-ports.js';
import { selectInstances } from '../../instance-filter.js';

/** Evacuate every selected instance of `host` (no fencing: the caller decides if that is safe). */
export function* evacuateAll(ports: DesignPorts, recovery: RecoverySpec, host: string): Op<boolean> {
  const { nova } = ports;
  const selected = selectInstances(recovery.instanceFilter, yield* nova.servers(host), yield* nova.flavors(), yield* nova.images());
  let ok = true;
  for (const s of selected) {
    if (s.storage === 'local' && !recovery.evacuateLocal) continue;
    try {
      yield* nova.evacuate(s.uuid, {});
    } catch (err) {
      if (!(err instanceof NovaApiError)) throw err;
      ok = false;
    }
  }
  return ok;
}

/** {@link evacuateAll}, an API error (listing the servers…) counting as a failed pass. */
export function* evacuateAllOrFail(ports: DesignPorts, recovery: RecoverySpec, host: string): Op<boolean> {
  try {
    return yield* evacuateAll(ports, recovery, host);
  } catch (err) {
    if (!(err instanceof NovaApiError)) throw err;
    return false;
  }
}

/** The nova-compute service of `host`, or `error` when the API call failed. */
export function* computeServiceOr(ports: DesignPorts, host: string): Op<ServiceRecord | undefined | 'error'> {
  try {
    return (yield* ports.nova.services({ host, binary: 'nova-compute' }))[0];
  } catch (err) {
    if (!(err instanceof NovaApiError)) throw err;
    return 'error';
  }
}
