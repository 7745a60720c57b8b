import { park, sleep, type Op } from '../kernel/process.js';
import type { ComputeService } from '../nova/compute-service.js';
import type { World } from '../world.js';
import { failIfInjected, novaCall } from './nova-api.js';

/** Whether a steady service poll parks (off: it calls every gap, for tests that prove both give the same runs). */
let parking = true;

export function parkServicePolls(on: boolean): void {
  parking = on;
}

/**
 * `GET /os-services?host=H&binary=nova-compute` after every `gapMs` until the service reads down AND disabled (true),
 * or an answer comes at or after `deadlineMs` (false): fence_compute `set_power_status_off` once its force-down has
 * failed. Without force-down nothing disables the service, so this goes on until Pacemaker's timeout, a call a
 * second, for every fencing attempt.
 *
 * A read is steady while the service is enabled (so it cannot read `off`, whatever Nova thinks of its liveness) and no
 * `nova-api-*` / `keystone-token-expired` fault acts on the agent's calls. Only an event can end that, so the poll
 * parks (no kernel events) and, when the service or the faults change, works out where its calls would have been:
 * the same call times and answers as calling every gap. A steady call takes its latency from a stream of its own
 * (named by host and time), not from `nova`, so that it can be drawn late without changing what others draw, and
 * it does not wait in the API queue (at one call a second it would hold one of eight workers about 5 % of the time).
 */
export function* pollUntilServiceOff(world: World, host: string, gapMs: number, deadlineMs: number): Op<boolean> {
  const read = (): boolean => {
    const svc = world.nova.computeServices.get(host);
    return svc !== undefined && svc.status === 'disabled' && !world.nova.isUp(svc);
  };
  for (;;) {
    let off: boolean;
    if (!steady(world, host)) off = yield* novaCall(world, read);
    // Parking works out every call up to the deadline: only a finite one can be parked.
    else if (parking && Number.isFinite(deadlineMs)) {
      const next = yield* parkedCalls(world, host, gapMs, deadlineMs);
      if (next === 'deadline') return false;
      // A call falls due after the change: the loop makes it now, steady or not as the world now is.
      if (next === 'call') continue;
      failIfInjected(world);
      off = read();
    } else {
      world.counters.novaApiCalls++;
      yield* sleep(steadyLatency(world, host, world.kernel.now));
      failIfInjected(world);
      off = read();
    }
    if (off) return true;
    if (world.kernel.now >= deadlineMs) return false;
    yield* sleep(gapMs);
  }
}

/**
 * Steady calls from one sent now, parked: returns `deadline` at the answer due at or after the deadline (every answer
 * was steady); else, once a change wakes it, sleeps to the first answer due at or after the change (`read`: the
 * caller reads it then) or to the first call due after it (`call`: the caller makes it).
 */
function* parkedCalls(world: World, host: string, gapMs: number, deadlineMs: number): Op<'deadline' | 'read' | 'call'> {
  const from = world.kernel.now;
  const quiet = steadyCalls(world, host, gapMs, from, deadlineMs, Infinity);
  // Calls are counted as they are sent, also while parked: a report may be made before the poll wakes.
  const sentSoFar = (): number => callsSentBy(world, host, gapMs, from, deadlineMs, world.kernel.now);
  world.parkedNovaApiCalls.add(sentSoFar);
  let changedAt: number | null = null;
  let woken = false;
  try {
    changedAt = yield* park(quiet.at, serviceOrFaultsChanged(world, host));
    woken = true;
  } finally {
    world.parkedNovaApiCalls.delete(sentSoFar);
    // Killed while parked (its controller lost quorum): the calls it had sent were made all the same.
    if (!woken) world.counters.novaApiCalls += sentSoFar();
  }
  const next = changedAt === null ? quiet : steadyCalls(world, host, gapMs, from, deadlineMs, changedAt);
  world.counters.novaApiCalls += next.calls;
  if (changedAt === null) return 'deadline';
  yield* sleep(next.at - world.kernel.now);
  return next.kind === 'call' ? 'call' : 'read';
}

/** Where steady calls from one sent at `from` are: an answer read at or after `stopAt`, a call sent at or after it, or the deadline's answer. */
interface CallStep {
  kind: 'read' | 'call' | 'end';
  at: number;
  /** Calls sent before `at` (a call sent at `at` is not counted: the loop sends and counts it). */
  calls: number;
}

function steadyCalls(world: World, host: string, gapMs: number, from: number, deadlineMs: number, stopAt: number): CallStep {
  let calls = 0;
  for (const { answered } of steadyCallTimes(world, host, gapMs, from, deadlineMs)) {
    calls++;
    if (answered >= stopAt) return { kind: 'read', at: answered, calls };
    if (answered >= deadlineMs) return { kind: 'end', at: answered, calls };
    if (answered + gapMs >= stopAt) return { kind: 'call', at: answered + gapMs, calls };
  }
  throw new Error('unreachable: the steady calls end with an answer at or after the deadline');
}

/** Steady calls sent at or before `t`, from one sent at `from`. */
function callsSentBy(world: World, host: string, gapMs: number, from: number, deadlineMs: number, t: number): number {
  let calls = 0;
  for (const { sent } of steadyCallTimes(world, host, gapMs, from, deadlineMs)) {
    if (sent > t) break;
    calls++;
  }
  return calls;
}

/** The steady calls from one sent at `from`, a gap after each answer, up to the first answered at or after the deadline. */
function* steadyCallTimes(world: World, host: string, gapMs: number, from: number, deadlineMs: number): Generator<{ sent: number; answered: number }> {
  for (let sent = from; ; ) {
    const answered = sent + steadyLatency(world, host, sent);
    yield { sent, answered };
    if (answered >= deadlineMs) return;
    sent = answered + gapMs;
  }
}

/** The latency of a steady call sent at `at`: the API's service time, from a stream named by host and time. */
function steadyLatency(world: World, host: string, at: number): number {
  return Math.round(world.rng('nova').forkNumbered(`service-poll:${host}@`, at).draw(world.config.nova.apiCallMs));
}

/** Steady: enabled (so never `off`), and no fault acting on the agent's Nova calls. */
function steady(world: World, host: string): boolean {
  const svc = world.nova.computeServices.get(host);
  const faults = world.controlFaults;
  return svc !== undefined && svc.status === 'enabled' && faults.apiErrorRate <= 0 && faults.apiLatency === null && !faults.tokenExpired;
}

/** The parked poll's watcher (after every event): field comparisons only. */
function serviceOrFaultsChanged(world: World, host: string): () => boolean {
  const svc: ComputeService | undefined = world.nova.computeServices.get(host);
  return () => world.nova.computeServices.get(host) !== svc || !steady(world, host);
}
