import { Signal, waitFor, type Op } from '../../../kernel/process.js';
import type { InstanceRecord } from '../../../nova/records.js';
import { NovaApiError } from '../../nova-api-error.js';
import type { DesignPorts } from '../../design-ports.js';
import type { MasakariConfig, RecoveryMethod } from './config.js';
import type { MasakariDb, Notification } from './db.js';
import { evacuateAndConfirm } from './evacuate-instance.js';
import type { NamedLocks } from './mutex.js';

/** `SkipHostRecoveryException`: nothing to evacuate; the notification ends `finished`. */
export class SkipHostRecovery extends Error {}
/** `HostRecoveryFailureException`, `ReservedHostsUnavailable`, `MasakariException`: the notification ends `error`. */
export class HostRecoveryFailure extends Error {}

/** What one flow run needs: the engine's ports, config, DB and its in-process locks. */
export interface FlowContext {
  ports: DesignPorts;
  config: MasakariConfig['engine'];
  db: MasakariDb;
  /** This engine's `utils.synchronized` locks (in-process). */
  locks: NamedLocks;
}

/** A Nova error inside a task: taskflow fails the flow, `execute_host_failure` raises `MasakariException`. */
function* nova<T>(op: Op<T>): Op<T> {
  try {
    return yield* op;
  } catch (err) {
    if (!(err instanceof NovaApiError)) throw err;
    throw new HostRecoveryFailure(`Failed to execute host failure flow: ${err.message}`);
  }
}

/**
 * `DisableComputeServiceTask`: `enable_disable_service` (services list by host, then disable with the reason:
 * never force-down) and an unconditional `wait_period_after_service_update` sleep.
 */
function* disableComputeService(ctx: FlowContext, host: string): Op<void> {
  const { ports, config } = ctx;
  const services = yield* nova(ports.nova.services({ host, binary: 'nova-compute' }));
  if (services.length === 0) throw new HostRecoveryFailure(`IndexError: no nova-compute service on ${host}`);
  yield* nova(ports.nova.disable(host, config.serviceDisableReason));
  ports.log('masakari.flow.disabled', host, { sleepMs: config.waitAfterServiceUpdateMs });
  yield* ports.clock.sleep(config.waitAfterServiceUpdateMs);
}

const truthy = (v: string | undefined): boolean => v !== undefined && ['1', 't', 'true', 'on', 'y', 'yes'].includes(v.toLowerCase());

/**
 * `PrepareHAEnabledInstancesTask`: every server on the host (all tenants, any state); ERROR ones dropped with
 * `ignore_instances_in_error_state`; HA_Enabled ones, then (with `evacuate_all_instances`) the rest. None →
 * `SkipHostRecoveryException`.
 */
function* prepareInstances(ctx: FlowContext, host: string): Op<InstanceRecord[]> {
  const { ports, config } = ctx;
  const all = yield* nova(ports.nova.servers(host));
  const kept = all.filter((s) => !(config.ignoreInstancesInErrorState && s.vmState === 'error'));
  const ha = kept.filter((s) => truthy(s.metadata[config.haEnabledKey]));
  const chosen = config.evacuateAllInstances ? [...ha, ...kept.filter((s) => !ha.includes(s))] : ha;
  ports.log('masakari.flow.instances', host, { total: all.length, chosen: chosen.length });
  if (chosen.length === 0) throw new SkipHostRecovery(`Skipped host '${host}' recovery as no instances needs to be evacuated`);
  return chosen;
}

/**
 * `greenpool.GreenPool(host_failure_recovery_threads)`, `spawn_n` per instance, `waitall()`: `threads` green
 * threads take the instances in order; the flow waits for all. True: a vmove FAILED.
 */
function* greenPool(ctx: FlowContext, instances: readonly InstanceRecord[], source: string, target: string | undefined): Op<boolean> {
  const queue = [...instances];
  const allDone = new Signal();
  let failed = false;
  let running = Math.min(ctx.config.threads, queue.length);
  const thread = function* (): Op<void> {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      if ((yield* evacuateAndConfirm(ctx.ports, ctx.config, next.uuid, source, target)) === 'failed') failed = true;
    }
    if (--running === 0) allDone.notify();
  };
  const threads = running;
  for (let i = 0; i < threads; i++) ctx.ports.spawn(`masakari-evacuate:${source}`, 'external', thread());
  while (running > 0) yield* waitFor(allDone);
  return failed;
}

/**
 * `EvacuateInstancesTask.execute`: with a reserved host, optionally join the failed host's aggregates
 * (`add_reserved_host_to_aggregate`), enable its service and clear `reserved` (`update_host_method`), all under
 * `utils.synchronized(reserved_host)` (not blocking: a second flow on the same reserved host fails at once); then
 * evacuate in the pool. Any vmove of this notification FAILED, in this run or an earlier one → failure.
 */
function* evacuateInstances(ctx: FlowContext, n: Notification, instances: readonly InstanceRecord[], reservedHost?: string): Op<void> {
  const lock = reservedHost === undefined ? undefined : ctx.locks.get(reservedHost);
  if (lock && !lock.tryAcquire()) throw new HostRecoveryFailure(`Lock already acquired on ${reservedHost}`);
  try {
    if (reservedHost !== undefined) yield* takeReservedHost(ctx, n.hostname, reservedHost);
    if (yield* greenPool(ctx, instances, n.hostname, reservedHost)) n.vmoveFailed = true;
  } finally {
    lock?.release();
  }
  if (n.vmoveFailed) throw new HostRecoveryFailure(`Failed to evacuate instances from host '${n.hostname}'`);
}

function* takeReservedHost(ctx: FlowContext, failed: string, reservedHost: string): Op<void> {
  const { ports, config, db } = ctx;
  if (config.addReservedHostToAggregate) {
    for (const agg of yield* nova(ports.nova.aggregates())) {
      if (!agg.hosts.includes(failed) || agg.hosts.includes(reservedHost)) continue; // Conflict: already a member
      yield* nova(ports.nova.addHostToAggregate(agg.id, reservedHost));
    }
  }
  yield* nova(ports.nova.enable(reservedHost));
  const row = db.hosts.get(reservedHost);
  if (row) row.reserved = false;
  ports.log('masakari.flow.reserved-host', reservedHost, { for: failed });
}

/** `get_auto_flow`: disable (+ sleep), prepare, evacuate (the scheduler picks). */
function* autoFlow(ctx: FlowContext, n: Notification): Op<void> {
  yield* disableComputeService(ctx, n.hostname);
  const instances = yield* prepareInstances(ctx, n.hostname);
  yield* evacuateInstances(ctx, n, instances);
}

/**
 * `get_rh_flow`: no reserved host → `ReservedHostsUnavailable`; disable (+ sleep) once; then the main flow
 * (prepare + evacuate onto one reserved host) under `retry.ParameterizedForEach`: any failure tries the next
 * reserved host; after the last, the last failure is raised.
 */
function* reservedHostFlow(ctx: FlowContext, n: Notification, reservedHosts: readonly string[]): Op<void> {
  if (reservedHosts.length === 0) throw new HostRecoveryFailure('No reserved_hosts available for evacuation.');
  yield* disableComputeService(ctx, n.hostname);
  let last: Error | undefined;
  for (const rh of reservedHosts) {
    try {
      const instances = yield* prepareInstances(ctx, n.hostname);
      return yield* evacuateInstances(ctx, n, instances, rh);
    } catch (err) {
      if (!(err instanceof HostRecoveryFailure) && !(err instanceof SkipHostRecovery)) throw err;
      last = err;
    }
  }
  throw last!;
}

/** `_execute_auto_priority_workflow` / `_execute_rh_priority_workflow`: on any failure but Skip, the other flow. */
function* withFallback(first: () => Op<void>, second: () => Op<void>): Op<void> {
  try {
    yield* first();
  } catch (err) {
    if (!(err instanceof HostRecoveryFailure)) throw err;
    yield* second();
  }
}

/** `TaskFlowDriver.execute_host_failure`: the segment's recovery method. */
export function* executeHostFailure(ctx: FlowContext, n: Notification, method: RecoveryMethod, reservedHosts: readonly string[]): Op<void> {
  switch (method) {
    case 'auto':
      return yield* autoFlow(ctx, n);
    case 'reserved_host':
      return yield* reservedHostFlow(ctx, n, reservedHosts);
    case 'auto_priority':
      return yield* withFallback(() => autoFlow(ctx, n), () => reservedHostFlow(ctx, n, reservedHosts));
    case 'rh_priority':
      return yield* withFallback(() => reservedHostFlow(ctx, n, reservedHosts), () => autoFlow(ctx, n));
  }
}
