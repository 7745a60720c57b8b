import type { Op } from '../../../kernel/process.js';
import type { AggregateRecord, InstanceRecord, ServiceRecord } from '../../../nova/records.js';
import type { DesignPorts } from '../../design-ports.js';
import { disableReason, evacuableHosts, evacuableServers, evacuables, REASON } from './classify.js';
import type { RhosoConfig } from './config.js';
import { concurrentEvacuate, traditionalEvacuate } from './evacuate.js';
import { hostFence } from './fence.js';
import { catalog } from './admit.js';
import { isApiError } from './pool.js';
import type { PollerState } from './state.js';

/** `MAX_ENABLE_RETRIES` of `_host_enable` under `_retry_with_backoff` (1 s, then 2 s). */
const ENABLE_TRIES = 3;

export interface HostContext {
  ports: DesignPorts;
  config: RhosoConfig;
  state: PollerState;
}

export const protocolOf = (config: RhosoConfig, host: string): 'ipmi' | 'redfish' =>
  config.fencingProtocolByHost[host] ?? config.fencingProtocol;

/** `_host_fence` with the host's agent and FENCING_TIMEOUT. */
export function fence(ctx: HostContext, host: string, action: 'off' | 'on'): Op<boolean> {
  return hostFence(ctx.ports, host, action, { protocol: protocolOf(ctx.config, host), timeoutMs: ctx.config.fencingTimeoutMs });
}

/** Run a Nova call; an API error is `undefined` (logged), anything else a bug. */
function* attempt<T>(ctx: HostContext, what: string, host: string, op: Op<T>): Op<T | undefined> {
  try {
    return yield* op;
  } catch (err) {
    if (!isApiError(err)) throw err;
    ctx.ports.log('rhoso.nova-error', host, { what, message: (err as Error).message });
    return undefined;
  }
}

/** `_host_enable(reenable=False)`: enable with 3 tries, 1 s then 2 s apart. */
export function* enableWithRetries(ctx: HostContext, host: string): Op<boolean> {
  for (let i = 0; i < ENABLE_TRIES; i++) {
    if ((yield* attempt(ctx, 'enable', host, ctx.ports.nova.enable(host))) !== undefined) return true;
    if (i < ENABLE_TRIES - 1) yield* ctx.ports.clock.sleep(1_000 * (i + 1));
  }
  return false;
}

/** `_host_disable`: force down (a failure aborts), then disable with the evacuation reason (kdump-marked). */
function* hostDisable(ctx: HostContext, host: string): Op<boolean> {
  if ((yield* attempt(ctx, 'force-down', host, ctx.ports.nova.forceDown(host, true))) === undefined) return false;
  const suffix = ctx.state.kdumpFenced.has(host) ? ` ${REASON.kdump}` : '';
  const reason = disableReason(REASON.evacuation, ctx.ports.clock.now(), suffix);
  return (yield* attempt(ctx, 'disable', host, ctx.ports.nova.disable(host, reason))) !== undefined;
}

/**
 * `_manage_reserved_hosts` / `_enable_matching_reserved_host`: enable the first reserved host sharing an aggregate
 * with the failed host (TAGGED_AGGREGATES) or its AZ; no match is not a failure.
 */
function* manageReservedHosts(ctx: HostContext, failed: ServiceRecord, reserved: ServiceRecord[]): Op<{ ok: boolean; host?: string }> {
  if (!ctx.config.reservedHosts || reserved.length === 0) return { ok: true };
  let matching: ServiceRecord[];
  if (ctx.config.taggedAggregates) {
    const aggregates = yield* attempt(ctx, 'aggregates', failed.host, ctx.ports.nova.aggregates());
    if (!aggregates) return { ok: true };
    matching = reservedInAggregate(ctx.config, aggregates, failed.host, reserved);
  } else matching = reserved.filter((r) => r.zone === failed.zone);
  const chosen = matching[0];
  if (!chosen) return { ok: true };
  reserved.splice(reserved.indexOf(chosen), 1);
  if (!(yield* enableWithRetries(ctx, chosen.host))) {
    reserved.push(chosen);
    return { ok: true };
  }
  ctx.ports.log('rhoso.reserved-host.enabled', chosen.host, { for: failed.host });
  return { ok: true, host: chosen.host };
}

function reservedInAggregate(config: RhosoConfig, aggregates: readonly AggregateRecord[], failed: string,
  reserved: readonly ServiceRecord[]): ServiceRecord[] {
  const mine = new Set(aggregates.filter((a) => a.hosts.includes(failed)).map((a) => a.id));
  if (mine.size === 0) return [];
  const evacuable = evacuableHosts(aggregates, config.evacuableTag);
  return reserved.filter((r) => evacuable.has(r.host) && aggregates.some((a) => mine.has(a.id) && a.hosts.includes(r.host)));
}

/** `_host_evacuate`: list, filter, sleep DELAY, then traditional or tracked evacuation. */
function* hostEvacuate(ctx: HostContext, host: string, target: string | undefined, resume: boolean): Op<boolean> {
  const { ports, config } = ctx;
  const [flavors, images] = [yield* catalog(ports.nova.flavors()), yield* catalog(ports.nova.images())];
  const servers: InstanceRecord[] = yield* ports.nova.servers(host);
  const chosen = evacuableServers(config, evacuables(config, flavors, images), servers, resume);
  if (chosen.length === 0) return true;
  yield* ports.clock.sleep(config.delayMs);
  ports.log('rhoso.evacuate.start', host, { servers: chosen.length, resume, smart: config.smartEvacuation || config.orchestratedRestart });
  if (config.smartEvacuation || config.orchestratedRestart) return yield* concurrentEvacuate(ports, config, host, chosen, target, resume);
  return yield* traditionalEvacuate(ports, chosen, target);
}

/**
 * `_post_evacuation_recovery`: power the host on (not a kdump host) and mark `instanceha evacuation complete`. Runs as
 * soon as the evacuate calls were ACCEPTED (traditional mode): the source's nova-compute may start while rebuilds are
 * still running elsewhere — an upstream hazard this model keeps.
 */
function* postEvacuationRecovery(ctx: HostContext, host: string): Op<boolean> {
  const kdump = ctx.state.kdumpFenced.has(host);
  if (kdump) ctx.state.kdumpChecking.delete(host);
  else if (!(yield* fence(ctx, host, 'on'))) {
    ctx.ports.log('rhoso.power-on.failed', host);
    return false;
  }
  const reason = disableReason(REASON.complete, ctx.ports.clock.now(), kdump ? ` ${REASON.kdump}` : '');
  yield* attempt(ctx, 'disable (complete)', host, ctx.ports.nova.disable(host, reason));
  return true;
}

/**
 * `process_service`: fence (not on resume), disable, reserved host, evacuate, power on. False at the first failed
 * step, which leaves Nova's markers as they are: a host whose fencing failed is still a candidate next poll; one
 * whose evacuation failed is resumed next poll.
 */
export function* processService(ctx: HostContext, failed: ServiceRecord, resume: boolean, reserved: ServiceRecord[]): Op<boolean> {
  const host = failed.host;
  const { ports, config } = ctx;
  ports.log('rhoso.process.start', host, { resume });
  try {
    if (!resume) {
      if (!(yield* fence(ctx, host, 'off'))) {
        ports.log('rhoso.fence.failed', host);
        return false;
      }
      ports.log('rhoso.fence.succeeded', host);
    }
    // A resumed host that is already forced down and disabled is not disabled again (kdump hosts are not yet).
    if (!(resume && failed.forcedDown && failed.status === 'disabled') && !(yield* hostDisable(ctx, host))) return false;
    const reservedResult = yield* manageReservedHosts(ctx, failed, reserved);
    if (!reservedResult.ok) return false;
    const target = reservedResult.host && config.forceReservedHostEvacuation ? reservedResult.host : undefined;
    if (!(yield* hostEvacuate(ctx, host, target, resume))) {
      ports.log('rhoso.evacuation.failed', host);
      return false;
    }
    const ok = yield* postEvacuationRecovery(ctx, host);
    ports.log(ok ? 'rhoso.process.done' : 'rhoso.process.failed', host);
    return ok;
  } catch (err) {
    if (!isApiError(err)) throw err;
    ports.log('rhoso.process.failed', host, { message: (err as Error).message });
    return false;
  }
}
