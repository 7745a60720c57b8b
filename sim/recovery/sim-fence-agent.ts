import { call, sleep, type Op } from '../kernel/process.js';
import type { Bmc } from '../infra/bmc.js';
import type { World } from '../world.js';
import type { FenceResult } from './ports.js';

/** fencing library `login_timeout`: an unreachable BMC costs this before the agent gives up. */
const LOGIN_TIMEOUT_MS = 5_000;
/** Pause between status polls after `power_wait`. */
const POLL_GAP_MS = 1_000;

/**
 * fence_ipmilan / fence_redfish as Pacemaker runs them: check status, act, wait `power_wait`, poll status until
 * the host is off or `power_timeout` runs out; for `reboot`, then power on again. The power-off is confirmed only
 * by a status poll that reads "off" (a BMC that says OK without powering off would not pass).
 */
export function* simPowerFence(world: World, owner: string | null, hostName: string, action: 'off' | 'on' | 'reboot'): Op<FenceResult> {
  const bmc = world.bmcs.get(hostName)!;
  const t = world.config.fencing[bmc.spec.kind];
  const status = (): Op<'on' | 'off' | 'error'> => call(world.draw('fencing', t.statusTimeMs), () => readStatus(world, owner, bmc));
  if (world.defects.has('trust-bmc-ok') && action !== 'on') return yield* trustingFence(world, owner, bmc, action);
  const first = yield* status();
  if (first === 'error') return yield* unreachableResult(world, owner, bmc);
  if (action === 'on') return yield* powerOn(world, owner, bmc, status);
  if (first === 'on') {
    if (!(yield* send(world, owner, bmc, 'off'))) return { ok: false, detail: 'Failed: Unable to send power off' };
    yield* sleep(t.powerWaitMs);
    const deadline = world.kernel.now + t.powerTimeoutMs;
    while ((yield* status()) !== 'off') {
      if (world.kernel.now >= deadline) return { ok: false, detail: 'Failed: Timed out waiting to power OFF' };
      yield* sleep(POLL_GAP_MS);
    }
  }
  confirmOff(world, bmc);
  if (action === 'reboot') yield* send(world, owner, bmc, 'on');
  return { ok: true, detail: action === 'reboot' ? 'Success: Rebooted' : 'Success: Powered OFF' };
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

function reachable(world: World, owner: string | null, bmc: Bmc): boolean {
  if (bmc.condition === 'unreachable') return false;
  return owner === null || world.nets.linked('ipmi', owner, bmc.host.name);
}

function readStatus(world: World, owner: string | null, bmc: Bmc): 'on' | 'off' | 'error' {
  if (!reachable(world, owner, bmc) || bmc.condition === 'broken') return 'error';
  return bmc.host.poweredOn ? 'on' : 'off';
}

function* unreachableResult(world: World, owner: string | null, bmc: Bmc): Op<FenceResult> {
  if (!reachable(world, owner, bmc)) {
    yield* sleep(LOGIN_TIMEOUT_MS);
    return { ok: false, detail: 'Failed: Unable to obtain correct plug status or plug is not available (BMC unreachable)' };
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

function* powerOn(world: World, owner: string | null, bmc: Bmc, status: () => Op<'on' | 'off' | 'error'>): Op<FenceResult> {
  if (!(yield* send(world, owner, bmc, 'on'))) return { ok: false, detail: 'Failed: Unable to send power on' };
  const t = world.config.fencing[bmc.spec.kind];
  yield* sleep(t.powerWaitMs);
  const deadline = world.kernel.now + t.powerTimeoutMs;
  while ((yield* status()) !== 'on') {
    if (world.kernel.now >= deadline) return { ok: false, detail: 'Failed: Timed out waiting to power ON' };
    yield* sleep(POLL_GAP_MS);
  }
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
