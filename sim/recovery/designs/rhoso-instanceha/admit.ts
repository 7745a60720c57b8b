import type { Op } from '../../../kernel/process.js';
import type { AggregateRecord, InstanceRecord, ServiceRecord } from '../../../nova/records.js';
import { aggregateEvacuable, evacuableHosts, evacuables, isServerEvacuable } from './classify.js';
import type { HostContext } from './host.js';
import { isApiError } from './pool.js';

/** `MIN_ACTIVE_SERVICES_FOR_STALE_CHECK`, `MAX_PROCESSING_TIME_PADDING_SECONDS`, `AGGREGATE_MAX_FAILURES_KEY`. */
const MIN_ACTIVE_FOR_STALE_CHECK = 3;
const PROCESSING_PADDING_MS = 30_000;
const AGGREGATE_MAX_FAILURES_KEY = 'instanceha:max_failures';

/** Optional UDP listeners of the pod (kdump messages, heartbeats): the last packet heard from a host. */
export interface UdpPort {
  lastKdumpMs(host: string): number | undefined;
  lastHeartbeatMs(host: string): number | undefined;
}

/** What one cycle decided, for the trace and the tests. */
export interface Admission {
  skipped?: 'none' | 'all-stale' | 'threshold' | 'aggregate-threshold' | 'disabled' | 'no-scheduler' | 'heartbeat-cliff';
  submitted: { host: string; resume: boolean }[];
}

type Submit = (service: ServiceRecord, resume: boolean, reserved: ServiceRecord[]) => void;

/**
 * `_filter_processing_hosts`: drop hosts being processed (an entry expires after max(FENCING_TIMEOUT,
 * EVACUATION_TIMEOUT) + 30 s = 330 s by default), mark the others.
 */
function filterProcessing(ctx: HostContext, candidates: ServiceRecord[], resume: ServiceRecord[]): { candidates: ServiceRecord[]; resume: ServiceRecord[]; marked: Set<string> } {
  const now = ctx.ports.clock.now();
  const maxMs = Math.max(ctx.config.fencingTimeoutMs, ctx.config.evacuationTimeoutMs) + PROCESSING_PADDING_MS;
  for (const [h, t] of [...ctx.state.processing]) if (now - t > maxMs) ctx.state.processing.delete(h);
  const free = (s: ServiceRecord): boolean => !ctx.state.processing.has(s.host);
  const out = { candidates: candidates.filter(free), resume: resume.filter(free), marked: new Set<string>() };
  for (const s of [...out.candidates, ...out.resume]) {
    ctx.state.processing.set(s.host, now);
    out.marked.add(s.host);
  }
  return out;
}

/** `_filter_reachable_hosts`: with CHECK_HEARTBEAT, hosts heard recently are not fenced; a sudden drop skips all. */
function filterReachable(ctx: HostContext, udp: UdpPort | undefined, candidates: ServiceRecord[], hosts: readonly string[]): { unreachable: ServiceRecord[]; cliff: boolean } {
  const { config, state } = ctx;
  const now = ctx.ports.clock.now();
  if (!udp || now - state.startedAtMs < config.heartbeatTimeoutMs) return { unreachable: candidates, cliff: false };
  const heard = (h: string): boolean => {
    const t = udp.lastHeartbeatMs(h);
    return t !== undefined && now - t <= config.heartbeatTimeoutMs;
  };
  const current = hosts.filter((h) => !state.processing.has(h) && heard(h)).length;
  const previous = Math.max(1, state.heartbeatPreviousActive - state.processing.size);
  if (previous >= 3 && ((previous - current) / previous) * 100 >= config.heartbeatCliffThresholdPercent) {
    state.heartbeatCliffCycles++;
    if (state.heartbeatCliffCycles < config.heartbeatCliffMaxCycles) return { unreachable: [], cliff: true };
  }
  state.heartbeatPreviousActive = current;
  state.heartbeatCliffCycles = 0;
  return { unreachable: candidates.filter((s) => !heard(s.host)), cliff: false };
}

/** `get_hosts_with_servers_cached`: a failed list is `null` ("might have servers"). */
function* serversByHost(ctx: HostContext, candidates: readonly ServiceRecord[]): Op<Map<string, InstanceRecord[] | null>> {
  const out = new Map<string, InstanceRecord[] | null>();
  for (const s of candidates) {
    try {
      out.set(s.host, yield* ctx.ports.nova.servers(s.host));
    } catch (err) {
      if (!isApiError(err)) throw err;
      out.set(s.host, null);
    }
  }
  return out;
}

/** `_prepare_evacuation_resources`: hosts with servers, with an evacuable server, in an evacuable aggregate. */
function* prepare(ctx: HostContext, candidates: ServiceRecord[], aggregates: AggregateRecord[] | null): Op<ServiceRecord[]> {
  const { config, ports } = ctx;
  if (candidates.length === 0) return [];
  const servers = yield* serversByHost(ctx, candidates);
  // `filter_hosts_with_servers`: a host whose list failed (null) might have servers and stays.
  const mightHaveServers = (host: string): boolean => {
    const list = servers.get(host);
    return list === null || (list !== undefined && list.length > 0);
  };
  let out = candidates.filter((s) => mightHaveServers(s.host));
  if (out.length === 0) return [];
  if (config.taggedImages || config.taggedFlavors) {
    const ev = evacuables(config, yield* catalog(ports.nova.flavors()), yield* catalog(ports.nova.images()));
    out = out.filter((s) => {
      const list = servers.get(s.host);
      return list === null || (list ?? []).some((srv) => isServerEvacuable(config, ev, srv));
    });
  }
  // TAGGED_AGGREGATES fails closed: a host in no evacuable aggregate is never recovered (a failed list: no filter).
  if (config.taggedAggregates && aggregates) {
    const ok = evacuableHosts(aggregates, config.evacuableTag);
    const dropped = out.filter((s) => !ok.has(s.host));
    if (dropped.length > 0) ports.log('rhoso.gate.not-in-evacuable-aggregate', dropped.map((s) => s.host).join(','));
    out = out.filter((s) => ok.has(s.host));
  }
  return out;
}

/** `_get_cached_evacuable`: a failed fetch caches nothing tagged (fails open). */
export function* catalog<T>(op: Op<T[]>): Op<T[]> {
  try {
    return yield* op;
  } catch (err) {
    if (!isApiError(err)) throw err;
    return [];
  }
}

/** The threshold: |down or forced-down ∪ candidates| / |services| (within evacuable aggregates) in percent. */
export function impactedPercent(services: readonly ServiceRecord[], candidates: readonly ServiceRecord[], evacuable: Set<string> | null): number {
  const pool = evacuable ? services.filter((s) => evacuable.has(s.host)) : services;
  const down = new Set(pool.filter((s) => s.state === 'down' || s.forcedDown).map((s) => s.host));
  candidates.forEach((s) => down.add(s.host));
  const total = evacuable ? pool.length : services.length;
  return total > 0 ? (down.size / total) * 100 : 0;
}

/** `_filter_by_aggregate_threshold`: an evacuable aggregate with `instanceha:max_failures` blocks its hosts beyond it. */
function aggregateThreshold(ctx: HostContext, candidates: ServiceRecord[], aggregates: readonly AggregateRecord[]): ServiceRecord[] {
  const failed = new Set(candidates.map((s) => s.host));
  const processing = [...ctx.state.processing.keys()].filter((h) => !failed.has(h));
  const blocked = new Set<string>();
  for (const a of aggregates) {
    if (!aggregateEvacuable(a, ctx.config.evacuableTag)) continue;
    const raw = a.metadata[AGGREGATE_MAX_FAILURES_KEY];
    if (raw === undefined) continue;
    const max = Number.parseInt(raw, 10);
    if (Number.isNaN(max) || max < 0) continue;
    const aggFailed = a.hosts.filter((h) => failed.has(h));
    const impacted = aggFailed.length + processing.filter((h) => a.hosts.includes(h)).length;
    if (impacted > max) aggFailed.forEach((h) => blocked.add(h));
  }
  if (blocked.size > 0) ctx.ports.log('rhoso.gate.aggregate-threshold', [...blocked].join(','));
  return candidates.filter((s) => !blocked.has(s.host));
}

/** `_check_critical_services`: at least one nova-scheduler up (a failed query lets evacuation go ahead). */
function* schedulerUp(ctx: HostContext): Op<boolean> {
  try {
    const schedulers = yield* ctx.ports.nova.services({ binary: 'nova-scheduler' });
    return schedulers.length === 0 || schedulers.some((s) => s.state === 'up');
  } catch (err) {
    if (!isApiError(err)) throw err;
    return true;
  }
}

/**
 * `_check_kdump`: a host heard from kdump within KDUMP_TIMEOUT counts as fenced (resumed without power-off); a new
 * one waits KDUMP_TIMEOUT for a first message; after that it is fenced normally.
 */
function checkKdump(ctx: HostContext, udp: UdpPort | undefined, candidates: ServiceRecord[]): { fence: ServiceRecord[]; kdump: ServiceRecord[] } {
  const { state, config } = ctx;
  const now = ctx.ports.clock.now();
  const out = { fence: [] as ServiceRecord[], kdump: [] as ServiceRecord[] };
  for (const s of candidates) {
    const last = udp?.lastKdumpMs(s.host);
    const began = state.kdumpChecking.get(s.host);
    if (last !== undefined && now - last <= config.kdumpTimeoutMs) {
      out.kdump.push(s);
      state.kdumpFenced.add(s.host);
      state.kdumpChecking.delete(s.host);
    } else if (began === undefined) state.kdumpChecking.set(s.host, now);
    else if (now - began < config.kdumpTimeoutMs) continue;
    else {
      state.kdumpChecking.delete(s.host);
      out.fence.push(s);
    }
  }
  return out;
}

/**
 * `_admit_stale_services`: the gates, in upstream order, then submit hosts to the worker pool. Hosts marked but not
 * submitted are unmarked at the end (`_cleanup_filtered_hosts`).
 */
export function* admit(ctx: HostContext, udp: UdpPort | undefined, services: ServiceRecord[], candidatesIn: ServiceRecord[],
  resumeIn: ServiceRecord[], submit: Submit): Op<Admission> {
  if (candidatesIn.length === 0 && resumeIn.length === 0) return { submitted: [] };
  const { candidates: c0, resume, marked } = filterProcessing(ctx, candidatesIn, resumeIn);
  const result: Admission = { submitted: [] };
  try {
    yield* gatesAndSubmit(ctx, udp, services, c0, resume, submit, result);
  } finally {
    const kept = new Set(result.submitted.map((s) => s.host));
    for (const h of marked) if (!kept.has(h)) ctx.state.processing.delete(h);
  }
  return result;
}

function* gatesAndSubmit(ctx: HostContext, udp: UdpPort | undefined, services: ServiceRecord[], c0: ServiceRecord[],
  resume: ServiceRecord[], submit: Submit, result: Admission): Op<void> {
  const { config, ports } = ctx;
  const skip = (why: NonNullable<Admission['skipped']>): void => {
    result.skipped = why;
    ports.log('rhoso.gate.skip-cycle', why);
  };
  if (c0.length === 0 && resume.length === 0) return;
  let candidates = c0;
  if (config.checkHeartbeat) {
    const r = filterReachable(ctx, udp, candidates, services.map((s) => s.host));
    if (r.cliff) ports.log('rhoso.gate.heartbeat-cliff', 'poller');
    candidates = r.unreachable;
  }
  const active = services.filter((s) => s.status !== 'disabled' && !s.forcedDown);
  if (candidates.length > 0 && active.length >= MIN_ACTIVE_FOR_STALE_CHECK && candidates.length >= active.length) return skip('all-stale');
  if (candidates.length === 0 && resume.length === 0) return;
  // "The following computes are down" (and a HostDown event per host), with the heartbeat it was judged on.
  for (const s of candidates) {
    ports.log('rhoso.host-down', s.host, { updatedAtMs: s.updatedAtMs, lastSeenUpMs: s.lastSeenUpMs });
    ports.lifecycle.detected?.(s.host);
  }
  let aggregates: AggregateRecord[] | null = null;
  if (config.taggedAggregates) {
    try {
      aggregates = yield* ports.nova.aggregates();
    } catch (err) {
      if (!isApiError(err)) throw err;
    }
  }
  candidates = yield* prepare(ctx, candidates, aggregates);
  const reserved = config.reservedHosts
    ? services.filter((s) => s.status === 'disabled' && (s.disabledReason ?? '').includes('reserved')) : [];
  if (candidates.length > 0) {
    const evacuable = config.taggedAggregates && aggregates ? evacuableHosts(aggregates, config.evacuableTag) : null;
    const pct = impactedPercent(services, candidates, evacuable);
    if (pct > config.thresholdPercent) {
      ports.log('rhoso.gate.threshold', 'poller', { impactedPercent: pct, threshold: config.thresholdPercent });
      return skip('threshold');
    }
  }
  if (candidates.length > 0 && aggregates && config.taggedAggregates) {
    candidates = aggregateThreshold(ctx, candidates, aggregates);
    if (candidates.length === 0 && resume.length === 0) return skip('aggregate-threshold');
  }
  if (candidates.length > config.maxHostsPerCycle) {
    ports.log('rhoso.gate.rate-limited', candidates.slice(config.maxHostsPerCycle).map((s) => s.host).join(','));
    candidates = candidates.slice(0, config.maxHostsPerCycle);
  }
  if (config.disabled) return skip('disabled');
  if (!(yield* schedulerUp(ctx))) return skip('no-scheduler');
  const { fence, kdump } = config.checkKdump ? checkKdump(ctx, udp, candidates) : { fence: candidates, kdump: [] };
  for (const [batch, isResume] of [[fence, false], [kdump, true], [resume, true]] as const) {
    for (const s of batch) {
      submit(s, isResume, reserved);
      result.submitted.push({ host: s.host, resume: isResume });
    }
  }
}
