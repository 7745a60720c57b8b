import type { Op } from '../../../kernel/process.js';
import type { BmcProtocol, DesignPorts } from '../../design-ports.js';

/** instanceha.py `MAX_FENCING_RETRIES`, `FENCING_RETRY_DELAY_SECONDS` (linear: 1 s, then 2 s). */
const FENCING_TRIES = 3;
const RETRY_DELAY_MS = 1_000;
/** `_wait_for_power_off` sleeps 1 s before each status read. */
const POWER_POLL_MS = 1_000;
/** `_execute_ipmi_fence` / `_redfish_reset` clamp the timeout to [5, 300] s. */
const clampTimeout = (ms: number): number => Math.max(5_000, Math.min(300_000, ms));

export interface FenceOptions {
  protocol: BmcProtocol;
  timeoutMs: number;
}

/**
 * `_host_fence(host, action)`: `off` powers off and waits until the BMC reports it off; `on` powers on and returns
 * (no wait). False on failure; the caller (`process_service`) then stops: nothing is evacuated.
 */
export function hostFence(ports: DesignPorts, host: string, action: 'off' | 'on', options: FenceOptions): Op<boolean> {
  const opts = { protocol: options.protocol, timeoutMs: clampTimeout(options.timeoutMs) };
  return options.protocol === 'redfish' ? redfishReset(ports, host, action, opts) : ipmiFence(ports, host, action, opts);
}

/**
 * `_execute_ipmi_fence`: `ipmitool … power <action>` with `subprocess.run(timeout=FENCING_TIMEOUT, check=True)`
 * under `_retry_with_backoff` (3 tries, 1 s then 2 s apart; any error retries), then for `off`
 * `_wait_for_power_off` polls `power status` every second until `Chassis Power is off` within the timeout.
 */
function* ipmiFence(ports: DesignPorts, host: string, action: 'off' | 'on', opts: FenceOptions): Op<boolean> {
  let done = false;
  for (let attempt = 0; attempt < FENCING_TRIES && !done; attempt++) {
    const reply = yield* ports.bmc.power(host, action, opts);
    if (reply.ok) done = true;
    else {
      ports.log('rhoso.fence.retry', host, { action, attempt: attempt + 1, error: reply.error, detail: reply.detail });
      if (attempt < FENCING_TRIES - 1) yield* ports.clock.sleep(RETRY_DELAY_MS * (attempt + 1));
    }
  }
  if (!done) return false;
  if (action === 'on') return true;
  return yield* waitForPowerOff(ports, host, opts);
}

/** `_wait_for_power_off`: until the deadline, sleep 1 s then read the power state. */
function* waitForPowerOff(ports: DesignPorts, host: string, opts: FenceOptions): Op<boolean> {
  const deadline = ports.clock.now() + opts.timeoutMs;
  while (ports.clock.now() < deadline) {
    yield* ports.clock.sleep(POWER_POLL_MS);
    const state = yield* ports.bmc.power(host, 'status', opts);
    if (state.ok && state.power === 'off') return true;
  }
  ports.log('rhoso.fence.off-timeout', host);
  return false;
}

/**
 * `_redfish_reset`: POST ComputerSystem.Reset (ForceOff / On). Accepted → for ForceOff poll PowerState until Off.
 * A refusal (400/409) is success for ForceOff when the system is already Off; for On while Off it is retried.
 * Network errors (no answer) are retried up to 3 tries; authentication errors are not.
 */
function* redfishReset(ports: DesignPorts, host: string, action: 'off' | 'on', opts: FenceOptions): Op<boolean> {
  for (let attempt = 0; attempt < FENCING_TRIES; attempt++) {
    const reply = yield* ports.bmc.power(host, action, opts);
    if (reply.ok) return action === 'off' ? yield* waitForPowerOff(ports, host, opts) : true;
    if (reply.error === 'auth') return false;
    const last = attempt === FENCING_TRIES - 1;
    if (reply.error === 'timeout') {
      if (last) return false;
      yield* ports.clock.sleep(RETRY_DELAY_MS * (attempt + 1));
      continue;
    }
    // 400/409: is it already off?
    const state = yield* ports.bmc.power(host, 'status', opts);
    const off = state.ok && state.power === 'off';
    if (!off) return false;
    if (action === 'off') return true;
    if (last) return false;
    yield* ports.clock.sleep(RETRY_DELAY_MS * (attempt + 1));
  }
  return false;
}
