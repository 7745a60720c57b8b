import { sleep, type Op } from '../kernel/process.js';
import { NovaApiError } from '../nova/records.js';
import type { Ports } from './ports.js';

/** fence_compute polls Nova this often while it waits for the service to be reported down. */
const DOWN_POLL_MS = 2_000;

/**
 * fence_compute `-o off` (fence-nova): force the service down and disable it, then set `evacuate=yes` in attrd.
 * Without force-down (or if the API refuses it) it loops until Nova reports the service down by itself — the
 * delay force-down removes — bounded by Pacemaker's fencing timeout, which kills the agent.
 */
export function* fenceComputeOff(ports: Ports, host: string, opts: { forceDown: boolean; timeoutMs: number }): Op<boolean> {
  const deadline = ports.now() + opts.timeoutMs;
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
    if (ports.now() >= deadline) return false;
    yield* sleep(DOWN_POLL_MS);
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
 * fence_compute `-o on` (unfencing): clear force-down and enable the service. Nova refuses the force-up (400)
 * while evacuations from the host are `done` and not yet cleaned up by its nova-compute, so it retries.
 */
export function* fenceComputeOn(ports: Ports, host: string, retryMs: number): Op<void> {
  for (;;) {
    try {
      yield* ports.nova.forceDown(host, false);
      break;
    } catch (err) {
      if (!(err instanceof NovaApiError)) throw err;
      ports.log('unfence.force-up-refused', host, { status: err.status, message: err.message });
      yield* sleep(retryMs);
    }
  }
  yield* ports.nova.enable(host);
  ports.log('unfence.done', host);
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
