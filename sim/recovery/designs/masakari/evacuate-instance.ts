import type { Op } from '../../../kernel/process.js';
import type { InstanceRecord } from '../../../nova/records.js';
import { NovaApiError } from '../../nova-api-error.js';
import type { DesignPorts } from '../../design-ports.js';
import type { MasakariConfig } from './config.js';

/** A failure that ends one instance's evacuation (`InstanceEvacuateFailed`, `LoopingCallTimeOut`, a Nova error). */
export class VmoveFailed extends Error {}

const locked = (r: InstanceRecord): boolean => (r as { locked?: boolean }).locked === true;

/** What a thread leaves in its vmove row: SUCCEEDED, FAILED, or still PENDING (the thread died before its `try`). */
export type VmoveResult = 'succeeded' | 'failed' | 'pending';

/**
 * One thread of `EvacuateInstancesTask` (engine/drivers/taskflow/host_failure.py `_evacuate_and_confirm`): lock,
 * reset-state where Nova would refuse, evacuate, confirm, stop an instance that was not active, unlock. The two
 * GETs and the lock come before its `try`: a Nova error there kills the green thread (`spawn_n` only logs it)
 * and leaves the vmove PENDING, which `execute` does not count as failed.
 */
export function* evacuateAndConfirm(
  ports: DesignPorts, config: MasakariConfig['engine'], uuid: string, source: string, target: string | undefined,
): Op<VmoveResult> {
  let first: InstanceRecord;
  let alreadyLocked: boolean;
  try {
    first = yield* ports.nova.server(uuid);
    alreadyLocked = locked(yield* ports.nova.server(uuid)); // "check whether it is already locked by user"
    if (!alreadyLocked) yield* ports.nova.lock(uuid);
  } catch (err) {
    if (!(err instanceof NovaApiError)) throw err;
    ports.log('masakari.vmove.thread-died', uuid, { from: source, why: err.message });
    return 'pending';
  }
  try {
    yield* evacuateOne(ports, config, first, source, target);
    ports.log('masakari.vmove.succeeded', first.name, { from: source });
    return 'succeeded';
  } catch (err) {
    if (!(err instanceof NovaApiError) && !(err instanceof VmoveFailed)) throw err;
    ports.log('masakari.vmove.failed', first.name, { from: source, why: err.message });
    return 'failed';
  } finally {
    if (!alreadyLocked) yield* unlockQuietly(ports, uuid);
  }
}

function* unlockQuietly(ports: DesignPorts, uuid: string): Op<void> {
  try {
    yield* ports.nova.unlock(uuid);
  } catch (err) {
    if (!(err instanceof NovaApiError)) throw err;
  }
}

/**
 * The `try` body of `_evacuate_and_confirm`. vm_state outside {active, error, stopped} → reset to error; a
 * task_state set → reset to error (Nova refuses to evacuate otherwise; this is what re-evacuates a rebuild in
 * flight). The confirmation compares with the instance as re-read after a reset (the closure sees the rebinding).
 */
function* evacuateOne(
  ports: DesignPorts, config: MasakariConfig['engine'], first: InstanceRecord, source: string, target: string | undefined,
): Op<void> {
  const { vmState, taskState } = first;
  let instance = first;
  let stopInstance = true;
  if (vmState !== 'active' && vmState !== 'error' && vmState !== 'stopped') {
    yield* ports.nova.resetState(first.uuid, 'error');
    instance = yield* ports.nova.server(first.uuid);
  } else if (vmState === 'stopped' && taskState === null) {
    stopInstance = false;
  } else if (taskState !== null) {
    ports.log('masakari.reset-state', first.name, { taskState, vmState });
    yield* ports.nova.resetState(first.uuid, 'error');
    instance = yield* ports.nova.server(first.uuid);
    if (vmState === 'active') stopInstance = false;
  }
  yield* ports.nova.evacuate(first.uuid, target === undefined ? {} : { host: target });
  yield* waitForEvacuation(ports, config, instance.vmState, first.uuid, source);
  if (vmState !== 'active' && stopInstance) {
    yield* stopAfterEvacuation(ports, config, first.uuid);
    if (vmState === 'error') yield* ports.nova.resetState(first.uuid, 'error');
  }
}

/**
 * `oslo_service.loopingcall.FixedIntervalWithTimeoutLoopingCall`: call `tick` now and every `intervalMs`; raise
 * `LoopingCallTimeOut` once `timeoutMs` has passed without `tick` returning true.
 */
function* pollUntil(ports: DesignPorts, intervalMs: number, timeoutMs: number, what: string, tick: () => Op<boolean>): Op<void> {
  const start = ports.clock.now();
  for (;;) {
    if (yield* tick()) return;
    if (ports.clock.now() - start >= timeoutMs) throw new VmoveFailed(`Timeout for ${what}.`);
    yield* ports.clock.sleep(intervalMs);
  }
}

/**
 * `_wait_for_evacuation_confirmation`: a vm_state newly `error` fails it (`InstanceEvacuateFailed`); done once the
 * hypervisor differs from the source and the vm_state is what it was (or error → active).
 */
function* waitForEvacuation(ports: DesignPorts, config: MasakariConfig['engine'], oldVmState: string, uuid: string, source: string): Op<void> {
  yield* pollUntil(ports, config.verifyIntervalMs, config.waitAfterEvacuationMs, `instance '${uuid}' evacuation`, function* () {
    const now = yield* ports.nova.server(uuid);
    if (now.vmState === 'error' && now.vmState !== oldVmState) throw new VmoveFailed(`Failed to evacuate instance ${uuid}`);
    return now.host !== source && ((oldVmState === 'error' && now.vmState === 'active') || oldVmState === now.vmState);
  });
}

/** `_stop_after_evacuation`: os-stop, then poll until `stopped` within `wait_period_after_power_off`. */
function* stopAfterEvacuation(ports: DesignPorts, config: MasakariConfig['engine'], uuid: string): Op<void> {
  yield* ports.nova.stop(uuid);
  yield* pollUntil(ports, config.verifyIntervalMs, config.waitAfterPowerOffMs, `instance '${uuid}' to stop`, function* () {
    return (yield* ports.nova.server(uuid)).vmState === 'stopped';
  });
}
