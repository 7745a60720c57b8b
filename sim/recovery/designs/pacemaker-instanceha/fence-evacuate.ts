import type { Op } from '../../../kernel/process.js';
import { NovaApiError } from '../../nova-api-error.js';
import type { RecoverySpec } from '../../../scenario-spec.js';
import { computeStatus } from './fence-compute.js';
import { selectInstances } from '../../instance-filter.js';
import type { Ports } from '../../ports.js';

/**
 * fence_evacuate `-o status` as NovaEvacuate reads its exit code: 0 when Nova reports the service on (up and
 * enabled), 2 when off (down and disabled), 1 for anything else — `failed`, `running`, unknown host, Nova
 * unreachable — because fencing.py `fence_action` fails with EC_STATUS on a status that is neither on nor off.
 */
export function* fenceEvacuateStatus(ports: Ports, host: string): Op<0 | 1 | 2> {
  try {
    const [svc] = yield* ports.nova.services(host);
    const status = computeStatus(svc);
    return status === 'on' ? 0 : status === 'off' ? 2 : 1;
  } catch (err) {
    if (!(err instanceof NovaApiError)) throw err;
    return 1;
  }
}

/**
 * fence_evacuate `-o off` (agents/evacuate/fence_evacuate.py `main` and `_host_evacuate`): refuses (exit 1) unless
 * the status is off; selects the instances (with `instanceFilter: evacuable`, flavors/images tagged `evacuable`,
 * or — if nothing at all is tagged — every server on the host, in whatever state); evacuates each with the same
 * `on_shared_storage` flag (microversion 2.11; `--no-shared-storage` clears it), counting only an accepted
 * request as success; goes on past failures and exits 1 if any failed. It never waits for the rebuilds.
 *
 * `recovery.evacuateLocal: false` is a model option, not agent behaviour: it skips local-disk instances.
 */
export function* fenceEvacuate(ports: Ports, host: string, recovery: RecoverySpec, forcedTarget = false): Op<boolean> {
  try {
    return yield* evacuateHost(ports, host, recovery, forcedTarget);
  } catch (err) {
    // Outside `_server_evacuate` (which catches everything) an API error is a traceback: rc 1, as a failed pass.
    if (!(err instanceof NovaApiError)) throw err;
    ports.log('fence-evacuate.traceback', host, { status: err.status, message: err.message });
    return false;
  }
}

function* evacuateHost(ports: Ports, host: string, recovery: RecoverySpec, forcedTarget: boolean): Op<boolean> {
  const [svc] = yield* ports.nova.services(host);
  if (computeStatus(svc) !== 'off') {
    ports.log('fence-evacuate.refused', host, { why: 'service is not down and disabled' });
    return false;
  }
  const servers = yield* ports.nova.servers(host);
  const selected = selectInstances(recovery.instanceFilter, servers, yield* ports.nova.flavors(), yield* ports.nova.images());
  const target = forcedTarget ? yield* reservedHost(ports, host) : undefined;
  // One request for the pass, as fence_evacuate passes the same arguments to each `evacuate` (Nova only reads it).
  const request = target ? { host: target, force: true } : { onSharedStorage: recovery.sharedStorage };
  let ok = true;
  // Indexed: a generator that yields on every pass of its loop runs unoptimised, where for-of made an iterator
  // result per server.
  for (let i = 0; i < selected.length; i++) {
    const s = selected[i]!;
    if (s.storage === 'local' && !recovery.evacuateLocal) continue;
    try {
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
