import type { Op } from '../kernel/process.js';
import { NovaApiError } from '../nova/records.js';
import type { RecoverySpec } from '../scenario-spec.js';
import { selectInstances } from './instance-filter.js';
import type { Ports } from './ports.js';

/**
 * fence_evacuate `-o off`: only for a host Nova reports down and disabled; evacuate every selected instance
 * (no wait for completion). Any refusal makes the pass fail, and NovaEvacuate retries it later.
 */
export function* fenceEvacuate(ports: Ports, host: string, recovery: RecoverySpec, forcedTarget = false): Op<boolean> {
  const [svc] = yield* ports.nova.services(host);
  if (!svc || svc.state !== 'down' || svc.status !== 'disabled') {
    ports.log('fence-evacuate.refused', host, { why: 'service is not down and disabled' });
    return false;
  }
  const servers = yield* ports.nova.servers(host);
  const selected = selectInstances(recovery.instanceFilter, servers, yield* ports.nova.flavors(), yield* ports.nova.images());
  const target = forcedTarget ? yield* reservedHost(ports, host) : undefined;
  let ok = true;
  for (const s of selected) {
    if (s.storage === 'local' && !recovery.evacuateLocal) continue;
    try {
      const request = target ? { host: target, force: true } : { onSharedStorage: recovery.sharedStorage && s.storage !== 'local' };
      yield* ports.nova.evacuate(s.uuid, request);
    } catch (err) {
      if (!(err instanceof NovaApiError)) throw err;
      ports.log('fence-evacuate.error', s.name, { status: err.status, message: err.message });
      ok = false;
    }
  }
  ports.log('fence-evacuate.pass', host, { selected: selected.length, ok });
  return ok;
}

/**
 * Defect `forced-evacuation-target`: every instance goes to one "reserved" host (the first other host that is
 * up and enabled) with `force`, which skips the scheduler and so its capacity checks.
 */
function* reservedHost(ports: Ports, failed: string): Op<string | undefined> {
  const hypervisors = yield* ports.nova.hypervisors();
  return hypervisors.find((h) => h.hostname !== failed && h.state === 'up' && h.status === 'enabled')?.hostname;
}
