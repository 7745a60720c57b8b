import { CallOp, type Op } from '../kernel/process.js';
import { NovaApiError } from '../nova/records.js';
import type { World } from '../world.js';

/**
 * One call of a recovery agent to Nova's API, with the seams the faults act on: the finite-rate API queue
 * (api-queue.ts), `nova-api-slow` / `keystone-token-expired` latency, `nova-api-errors` refusals, and the
 * synchronous RPC that disable/enable make (`extraMs`, see {@link disableRpcMs}).
 */
export function novaCall<T>(world: World, perform: () => T, extraMs = 0): Op<T> {
  world.counters.novaApiCalls++;
  return new NovaApiCall(world, world.novaApiQueue.delay() + extraMs + injectedLatency(world), perform);
}

/** A Nova call with the injected refusal before Nova's answer, in one object (see CallOp): made per call. */
class NovaApiCall<T> extends CallOp<T> {
  constructor(
    private readonly world: World,
    readonly delayMs: number,
    private readonly action: () => T,
  ) {
    super();
  }

  /** When the latency has elapsed: the injected refusal, if any, else Nova's answer. */
  perform(): T {
    failIfInjected(this.world);
    return this.action();
  }
}

/**
 * `nova-api-slow` adds its latency to each call; `keystone-token-expired` makes the next call meet a 401, on which
 * keystoneauth (`Session.request`: `auth.invalidate()`, then one retry) gets a new token and sends the call again:
 * two more round trips, invisible to the agent.
 */
function injectedLatency(world: World): number {
  const faults = world.controlFaults;
  let ms = faults.apiLatency ? world.draw('faults', faults.apiLatency) : 0;
  if (faults.tokenExpired) {
    faults.tokenExpired = false;
    ms += 2 * world.draw('nova', world.config.nova.apiCallMs);
    world.emit('keystone.reauthenticate', 'recovery-agent', { why: '401: token expired' });
  }
  return ms;
}

/**
 * `nova-api-errors`: the call is answered 500 or 503 before Nova does anything (an API worker's unexpected error, or
 * haproxy without a healthy backend); python-novaclient raises it as an exception, as NovaApiError does here.
 */
export function failIfInjected(world: World): void {
  const rate = world.controlFaults.apiErrorRate;
  if (rate <= 0) return;
  const rng = world.rng('faults');
  if (rate < 1 && rng.float() >= rate) return;
  const status = rng.float() < 0.5 ? 500 : 503;
  world.emit('nova-api.error', 'nova-api', { status });
  throw new NovaApiError(status, status === 500 ? 'Unexpected API Error. (HTTP 500)' : 'Service Unavailable (HTTP 503)');
}

/**
 * Disable/enable of a service Nova believes up makes a synchronous RPC to the compute; if the host is really
 * dead the API call blocks until the RPC times out (RHBZ#1760213: why fence_compute forces down first).
 */
export function disableRpcMs(world: World, hostName: string): number {
  const host = world.hosts.get(hostName);
  const svc = world.nova.computeServices.get(hostName);
  if (!host || !svc || !world.nova.isUp(svc)) return 0;
  const answers = host.alive && host.novaCompute === 'running' && world.reachesControlPlane(hostName);
  return answers ? 0 : world.config.nova.rpcTimeoutMs;
}
