import { sleep, type Op } from '../../../kernel/process.js';
import { NovaApiError } from '../../nova-api-error.js';
import type { ServiceRecord } from '../../../nova/records.js';
import type { Ports } from '../../ports.js';

/** fence_compute `set_power_status_off`: pause between status polls when force-down failed. */
const OFF_POLL_MS = 1_000;
/** fence_compute `set_power_status_on`: pause between reads of the `evacuate` attribute. */
const ATTRD_POLL_MS = 2_000;
/** The model's earlier agent (`legacy-4.4`): status poll while waiting for Nova to see the service down. */
const LEGACY_DOWN_POLL_MS = 2_000;
/** The model's earlier agent (`legacy-4.4`): a refused force-up was retried after this long. */
const LEGACY_FORCE_UP_RETRY_MS = 10_000;

export type ComputeAgent = 'current' | 'legacy-4.4';

/** What fence_compute / fence_evacuate `get_power_status` reads from Nova's service record. */
export type ComputeStatus = 'on' | 'off' | 'failed' | 'running' | 'unknown';

/**
 * agents/compute/fence_compute.py `get_power_status` (the same in fence_evacuate.py): up+enabled is `on`,
 * down+disabled `off`, down otherwise `failed` (needs fencing), up otherwise `running` (needs unfencing).
 */
export function computeStatus(svc: ServiceRecord | undefined): ComputeStatus {
  if (svc === undefined) return 'unknown';
  if (svc.state === 'up') return svc.status === 'enabled' ? 'on' : 'running';
  return svc.status === 'disabled' ? 'off' : 'failed';
}

/**
 * `get_power_status`. Its `except requests.exception.ConnectionError` names a module that does not exist
 * (`requests.exceptions`): any exception of the services call makes Python raise AttributeError while matching the
 * clause, so the agent dies with a traceback (rc 1). Here the API error propagates to {@link exitOnTraceback}.
 */
function* readStatus(ports: Ports, host: string): Op<ComputeStatus> {
  const [svc] = yield* ports.nova.services(host);
  return computeStatus(svc);
}

/**
 * An exception fence_compute does not catch (a 500/503 from Nova outside its force-down try block) ends it with a
 * traceback and rc 1: under Pacemaker the device action, hence the fencing operation, has failed.
 */
function* exitOnTraceback(ports: Ports, host: string, agent: Op<boolean>): Op<boolean> {
  try {
    return yield* agent;
  } catch (err) {
    if (!(err instanceof NovaApiError)) throw err;
    ports.log('fence-nova.traceback', host, { status: err.status, message: err.message });
    return false;
  }
}

export interface FenceComputeOptions {
  /** Nova offers force-down (microversion ≥ 2.11); false models an older Nova or client. */
  forceDown: boolean;
  agent: ComputeAgent;
  /** Pacemaker kills the agent at this time (the device action's timeout); the action has then failed. */
  deadlineMs: number;
}

/**
 * fence_compute `-o off` (and `reboot`, which it maps to off): agents/compute/fence_compute.py
 * `set_power_status_off`. Returns true when the agent exits 0.
 */
export function fenceComputeOff(ports: Ports, host: string, opts: FenceComputeOptions): Op<boolean> {
  const agent = opts.agent === 'legacy-4.4' ? legacyFenceComputeOff(ports, host, opts) : currentFenceComputeOff(ports, host, opts);
  return exitOnTraceback(ports, host, agent);
}

/**
 * fence-agents ≥ 4.5.2: a host already `off` (down AND disabled) is left alone: the agent returns WITHOUT setting
 * `evacuate=yes`. Otherwise force-down and disable in one try; if that raises (no force-down API, a refusal),
 * it polls the status every second until it reads `off` — for ever: only Pacemaker's timeout ends it, and then
 * fencing has failed. Without force-down nothing ever disables the service, so that poll never ends.
 */
function* currentFenceComputeOff(ports: Ports, host: string, opts: FenceComputeOptions): Op<boolean> {
  if ((yield* readStatus(ports, host)) === 'off') {
    ports.log('fence-nova.already-off', host);
    return true;
  }
  try {
    if (!opts.forceDown) throw new NovaApiError(404, 'force-down is not available (microversion < 2.11)');
    yield* ports.nova.forceDown(host, true);
    yield* ports.nova.disable(host, 'fence_compute: host fenced by instance HA');
  } catch (err) {
    if (!(err instanceof NovaApiError)) throw err;
    ports.log('fence-nova.force-down-failed', host, { status: err.status, message: err.message });
    // `while get_power_status(...) != "off": time.sleep(1)`, ended by Pacemaker's timeout.
    if (!(yield* ports.nova.pollUntilOff(host, OFF_POLL_MS, opts.deadlineMs))) return false;
  }
  yield* ports.attrd.set(host, 'evacuate', 'yes');
  ports.log('fence-nova.done', host);
  return true;
}

/**
 * `legacy-4.4`, the model's earlier agent: force-down if it can; without it, wait until Nova reports the service
 * down by itself (the delay force-down removes), then disable; bounded by Pacemaker's timeout.
 */
function* legacyFenceComputeOff(ports: Ports, host: string, opts: FenceComputeOptions): Op<boolean> {
  let forced = false;
  if (opts.forceDown) {
    try {
      yield* ports.nova.forceDown(host, true);
      forced = true;
    } catch (err) {
      if (!(err instanceof NovaApiError)) throw err;
    }
  }
  while (!forced) {
    const [svc] = yield* ports.nova.services(host);
    if (svc === undefined) return false;
    if (svc.state === 'down') break;
    if (ports.now() >= opts.deadlineMs) return false;
    yield* sleep(LEGACY_DOWN_POLL_MS);
  }
  try {
    yield* ports.nova.disable(host, 'fence_compute: host fenced by instance HA');
  } catch (err) {
    if (!(err instanceof NovaApiError)) throw err;
    return false;
  }
  yield* ports.attrd.set(host, 'evacuate', 'yes');
  ports.log('fence-nova.done', host, { forced });
  return true;
}

/**
 * fence_compute `-o on` (unfencing): agents/compute/fence_compute.py `set_power_status_on`. Returns true when the
 * agent exits 0. `deadlineMs` is Pacemaker's action timeout (null: run by systemd, nothing kills it).
 * Poll attrd every 2 s until `evacuate` is `no` or unset; then, if the status is off, running or failed, force the
 * service up and enable it. Current agents try the force-up ONCE: an exception (Nova ≥ 24 refuses it with 400
 * while evacuations from the host are `done`, `_check_for_evacuations`) is logged and ignored, never retried
 * (LP#1922053). `legacy-4.4` (the model's earlier agent) retries a refused force-up every 10 s.
 */
export function fenceComputeOn(ports: Ports, host: string, agent: ComputeAgent, deadlineMs: number | null = null): Op<boolean> {
  return exitOnTraceback(ports, host, unfenceNova(ports, host, agent, deadlineMs));
}

function* unfenceNova(ports: Ports, host: string, agent: ComputeAgent, deadlineMs: number | null): Op<boolean> {
  const expired = () => deadlineMs !== null && ports.now() >= deadlineMs;
  for (;;) {
    const value = yield* ports.attrd.get(host, 'evacuate');
    if (value === 'no' || value === '') break;
    if (expired()) return false;
    yield* sleep(ATTRD_POLL_MS);
  }
  const status = yield* readStatus(ports, host);
  if (status !== 'off' && status !== 'running' && status !== 'failed') return true;
  for (;;) {
    try {
      yield* ports.nova.forceDown(host, false);
      break;
    } catch (err) {
      if (!(err instanceof NovaApiError)) throw err;
      const retried = agent === 'legacy-4.4' && !expired();
      ports.log('unfence.force-up-refused', host, { status: err.status, message: err.message, retried });
      if (!retried) break;
      yield* sleep(LEGACY_FORCE_UP_RETRY_MS);
    }
  }
  try {
    yield* ports.nova.enable(host);
  } catch (err) {
    // enable is outside the agent's try block: an API error ends the agent with a traceback (rc 1).
    if (!(err instanceof NovaApiError)) throw err;
    ports.log('unfence.enable-failed', host, { status: err.status, message: err.message });
    return false;
  }
  ports.log('unfence.done', host);
  return true;
}

/**
 * Defect `fixed-wait-no-force-down` (the deployment of cubecos #1274): no force-down; a fixed 30 s sleep,
 * shorter than Nova's service_down_time, then disable and flag the node — so Nova refuses the evacuations.
 */
export function* fixedWaitFenceNova(ports: Ports, host: string): Op<boolean> {
  yield* sleep(30_000);
  try {
    yield* ports.nova.disable(host, 'fence_compute: host fenced by instance HA');
  } catch (err) {
    if (!(err instanceof NovaApiError)) throw err;
  }
  yield* ports.attrd.set(host, 'evacuate', 'yes');
  return true;
}
