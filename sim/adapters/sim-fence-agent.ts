import { call, park, sleep, type Op } from '../kernel/process.js';
import type { Dist } from '../kernel/dist-types.js';
import { Rng } from '../kernel/rng.js';
import type { Bmc } from '../infra/bmc.js';
import type { World } from '../world.js';
import type { FenceResult } from '../recovery/ports.js';

/** fencing library `login_timeout`: an unreachable BMC costs this when the agent runs outside Pacemaker. */
const LOGIN_TIMEOUT_MS = 5_000;
/**
 * Under Pacemaker (`--disable-timeout`) an unreachable IPMI BMC costs ipmitool's own retransmissions: `-N 2`
 * (fence_ipmilan `--ipmitool-timeout` default) for the first try and each of ipmitool's 4 default `-R` retries.
 */
const IPMITOOL_UNREACHABLE_MS = 5 * 2_000;
/** An unreachable Redfish endpoint with curl's timeouts off: Linux gives up the TCP connect (6 SYN retries) after ~127 s. */
const TCP_CONNECT_GIVE_UP_MS = 127_000;
/** fencing.py `stonith_status_sleep`: pause between status polls after `power_wait`. */
const POLL_GAP_MS = 1_000;

type Status = () => Op<'on' | 'off' | 'error'>;

/**
 * fence_ipmilan / fence_redfish as fencing.py `fence_action` runs them: check status, act, wait `power_wait`, poll
 * status until it holds; for `reboot`, off must succeed, and a failed power-on is only logged ("Success:
 * Rebooted", rc 0). The power-off is confirmed only by a status poll that reads "off" (a BMC that says OK without
 * powering off would not pass). With `deadlineMs` (run by Pacemaker ≥ 2.0 with `--disable-timeout`) the agent's
 * `power_timeout` does not apply: the poll goes on until Pacemaker's action timeout kills it.
 */
export function* simPowerFence(world: World, owner: string | null, hostName: string, action: 'off' | 'on' | 'reboot', deadlineMs?: number): Op<FenceResult> {
  const bmc = world.bmcs.get(hostName)!;
  const t = world.config.fencing[bmc.spec.kind];
  // A slow BMC (`bmc-slow`) answers status queries late too, not only power actions.
  const status: Status = () => call(world.draw('fencing', t.statusTimeMs) + slowness(world, bmc), () => readStatus(world, owner, bmc));
  if (world.hasDefect('trust-bmc-ok') && action !== 'on') return yield* trustingFence(world, owner, bmc, action);
  const first = yield* status();
  if (first === 'error') return yield* unreachableResult(world, owner, bmc, deadlineMs);
  if (action === 'on') return yield* powerOn(world, owner, bmc, deadlineMs);
  if (first === 'on') {
    if (!(yield* send(world, owner, bmc, 'off'))) return { ok: false, detail: 'Failed: Unable to send power off' };
    yield* sleep(t.powerWaitMs);
    const failed = yield* pollUntil(world, owner, bmc, 'off', deadlineMs ?? world.kernel.now + t.powerTimeoutMs);
    if (failed) return { ok: false, timedOut: deadlineMs !== undefined, detail: 'Failed: Timed out waiting to power OFF' };
  }
  confirmOff(world, bmc);
  if (action === 'reboot') yield* send(world, owner, bmc, 'on');
  return { ok: true, detail: action === 'reboot' ? 'Success: Rebooted' : 'Success: Powered OFF' };
}

/** Whether a steady status poll parks (off: it queries every second, for tests that prove both give the same runs). */
let parking = true;

export function parkSteadyPolls(on: boolean): void {
  parking = on;
}

/**
 * Polls status until it reads `want`; true when `deadline` came first. As fencing.py does: a status query (its
 * latency drawn per query), then `stonith_status_sleep`, again and again.
 *
 * A poll is steady while the answer is not `want` and the BMC has no power action under way: a dark host's BMC
 * answers "off" for the whole 60 s of a reboot's on phase. Nothing but an event can change a steady answer, so the
 * loop parks (no kernel events) and, when the BMC, its host or the network changes, works out where its queries
 * would have been and goes on from there: the same query times and the same result at the same time as querying
 * every second. A steady query draws its latency from its own stream (named by host and time), not from
 * `fencing`, so that it can be drawn late without changing what other agents draw.
 */
function* pollUntil(world: World, owner: string | null, bmc: Bmc, want: 'on' | 'off', deadline: number): Op<boolean> {
  const latency = world.config.fencing[bmc.spec.kind].statusTimeMs;
  const forkPrefix = `${bmc.host.name}@`;
  const scratch = new Rng(0);
  const steadyLatency = (at: number, slow: Dist | null): number => {
    const rng = scratch.becomeNumberedFork(world.rng('fencing'), forkPrefix, at);
    return Math.round(rng.draw(latency)) + (slow ? Math.round(rng.draw(slow)) : 0);
  };
  for (;;) {
    const now = world.kernel.now;
    const answer = readStatus(world, owner, bmc);
    let readAt: number;
    if (answer === want || bmc.pendingActions > 0) readAt = now + world.draw('fencing', latency) + slowness(world, bmc);
    else if (!parking) readAt = now + steadyLatency(now, bmc.extraLatency);
    else {
      const slow = bmc.extraLatency;
      const steady = (at: number): number => steadyLatency(at, slow);
      const quiet = steadyPolls(steady, now, deadline, Infinity);
      const changedAt = yield* park(quiet.at, answerMayChange(world, owner, bmc, answer));
      if (changedAt === null) return true;
      // Replay the queries made before the change (the first was made at `now`, before it); go on from the next.
      const next = steadyPolls(steady, now, deadline, changedAt);
      if (next.kind === 'query') {
        yield* sleep(next.at - world.kernel.now);
        continue;
      }
      readAt = next.at;
    }
    yield* sleep(readAt - world.kernel.now);
    if (readStatus(world, owner, bmc) === want) return false;
    if (world.kernel.now >= deadline) return true;
    yield* sleep(Math.min(POLL_GAP_MS, deadline - world.kernel.now));
  }
}

/**
 * The parked poll's watcher (it runs after every event): cheap field comparisons first, the status only when the
 * host, its BMC or the networks changed. True when a query would now answer otherwise, be slowed otherwise, or a
 * power action is under way.
 */
function answerMayChange(world: World, owner: string | null, bmc: Bmc, answer: 'on' | 'off' | 'error'): () => boolean {
  const host = bmc.host;
  const slow = bmc.extraLatency;
  let state = host.state;
  let condition = bmc.condition;
  let nets = world.nets.version;
  return () => {
    if (bmc.pendingActions > 0 || bmc.extraLatency !== slow) return true;
    if (host.state === state && bmc.condition === condition && world.nets.version === nets) return false;
    state = host.state;
    condition = bmc.condition;
    nets = world.nets.version;
    return readStatus(world, owner, bmc) !== answer;
  };
}

/** Where a steady poll is: about to send a query, about to read an answer, or timed out at an answer. */
type PollStep = { kind: 'query' | 'read' | 'end'; at: number };

/**
 * The steady polls from a query at `from` on (each answer unwanted): the first step at or after `stopAt` (the query
 * at `from` itself is always sent), or the last answer, read at or past `deadline`.
 */
function steadyPolls(latency: (at: number) => number, from: number, deadline: number, stopAt: number): PollStep {
  for (let at = from; ; ) {
    const answered = at + latency(at);
    if (answered >= stopAt) return { kind: 'read', at: answered };
    if (answered >= deadline) return { kind: 'end', at: answered };
    at = answered + Math.min(POLL_GAP_MS, deadline - answered);
    if (at >= stopAt) return { kind: 'query', at };
  }
}

/**
 * Defect `trust-bmc-ok`: an agent that takes the BMC's acknowledgement (or an error it cannot interpret) as the
 * power being off, without polling status: it "confirms" power-off that may not have happened yet, or at all.
 */
function* trustingFence(world: World, owner: string | null, bmc: Bmc, action: 'off' | 'reboot'): Op<FenceResult> {
  yield* send(world, owner, bmc, 'off');
  // Pacemaker is told the node is fenced all the same; the trace says it was assumed, not confirmed.
  confirmOff(world, bmc, 'fence.power-off-assumed');
  if (action === 'reboot') yield* send(world, owner, bmc, 'on');
  return { ok: true, detail: 'Success: Powered OFF (not verified)' };
}

function slowness(world: World, bmc: Bmc): number {
  return bmc.extraLatency ? world.draw('fencing', bmc.extraLatency) : 0;
}

function reachable(world: World, owner: string | null, bmc: Bmc): boolean {
  if (bmc.condition === 'unreachable') return false;
  return owner === null || world.nets.linked('ipmi', owner, bmc.host.name);
}

function readStatus(world: World, owner: string | null, bmc: Bmc): 'on' | 'off' | 'error' {
  if (!reachable(world, owner, bmc) || bmc.condition === 'broken') return 'error';
  return bmc.host.poweredOn ? 'on' : 'off';
}

/**
 * An unreachable BMC: outside Pacemaker the agent's login timeout ends it; under Pacemaker, ipmitool's own
 * retransmissions (then exit 1), or for Redfish the TCP connect, bounded by Pacemaker's action timeout.
 */
function* unreachableResult(world: World, owner: string | null, bmc: Bmc, deadlineMs?: number): Op<FenceResult> {
  if (!reachable(world, owner, bmc)) {
    const now = world.kernel.now;
    const cost = deadlineMs === undefined ? LOGIN_TIMEOUT_MS : bmc.spec.kind === 'ipmi' ? IPMITOOL_UNREACHABLE_MS : TCP_CONNECT_GIVE_UP_MS;
    const timedOut = deadlineMs !== undefined && now + cost >= deadlineMs;
    yield* sleep(timedOut ? Math.max(0, deadlineMs - now) : cost);
    return { ok: false, timedOut, detail: 'Failed: Unable to obtain correct plug status or plug is not available (BMC unreachable)' };
  }
  return { ok: false, detail: 'Failed: Unable to obtain correct plug status or plug is not available (BMC error)' };
}

function* send(world: World, owner: string | null, bmc: Bmc, action: 'on' | 'off'): Op<boolean> {
  const t = world.config.fencing[bmc.spec.kind];
  return yield* call(world.draw('fencing', t.statusTimeMs), () => {
    if (readStatus(world, owner, bmc) === 'error') return false;
    const extra = bmc.extraLatency ? world.draw('fencing', bmc.extraLatency) : 0;
    world.bmcAction(bmc, action, world.draw('fencing', t.actionTimeMs) + extra);
    return true;
  });
}

function* powerOn(world: World, owner: string | null, bmc: Bmc, deadlineMs?: number): Op<FenceResult> {
  if (!(yield* send(world, owner, bmc, 'on'))) return { ok: false, detail: 'Failed: Unable to send power on' };
  const t = world.config.fencing[bmc.spec.kind];
  yield* sleep(t.powerWaitMs);
  const failed = yield* pollUntil(world, owner, bmc, 'on', deadlineMs ?? world.kernel.now + t.powerTimeoutMs);
  if (failed) return { ok: false, timedOut: deadlineMs !== undefined, detail: 'Failed: Timed out waiting to power ON' };
  return { ok: true, detail: 'Success: Powered ON' };
}

/**
 * Tell Pacemaker the node is powered off. `fence.power-off-confirmed` when a status poll read "off";
 * `fence.power-off-assumed` when the agent only trusted the BMC's acknowledgement (defect `trust-bmc-ok`).
 */
function confirmOff(world: World, bmc: Bmc, event: 'fence.power-off-confirmed' | 'fence.power-off-assumed' = 'fence.power-off-confirmed'): void {
  bmc.host.fenceConfirmedAtMs = world.kernel.now;
  world.emit(event, bmc.host.name, { via: bmc.spec.kind });
  world.pacemaker.powerFenceConfirmed(bmc.host);
}

export type { FenceResult } from '../recovery/ports.js';
