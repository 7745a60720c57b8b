import { call, sleep, type Op } from '../kernel/process.js';
import type { ComputeHost } from '../infra/compute-host.js';
import type { World } from '../world.js';
import type { FenceResult } from '../recovery/ports.js';

/** fencing.py `stonith_status_sleep`: pause between status polls after `power_wait`. */
const POLL_GAP_MS = 1_000;
/** A PDU that does not answer, with the agent's own timeouts off under Pacemaker: Linux gives up the TCP connect after ~127 s. */
const TCP_CONNECT_GIVE_UP_MS = 127_000;

/**
 * A rack PDU has power while any host of its rack still has mains power: a whole-rack power loss takes it down
 * with the hosts (and a PDU level cannot fence them), a single host's power loss does not. Hosts without a rack
 * have a PDU of their own. PDU network faults are not modelled.
 */
export function pduPowered(world: World, host: ComputeHost): boolean {
  const rack = host.spec.rack;
  if (!rack) return host.mains;
  return world.hostList.some((h) => h.spec.rack === rack && h.mains);
}

/**
 * A PDU fence agent (fence_apc's behaviour through fencing.py `fence_action`) switching the host's outlets: check
 * status, switch, wait `power_wait`, poll until the outlet reads off. Off cuts the host's power whatever its OS
 * or BMC does, so it fences a host whose BMC is broken or unreachable. Run by Pacemaker with `--disable-timeout`:
 * only the action's deadline bounds it.
 */
export function* simPduFence(world: World, hostName: string, action: 'off' | 'on', deadlineMs: number): Op<FenceResult> {
  const host = world.hosts.get(hostName)!;
  const t = world.config.fencing.pdu;
  const status = (): Op<'on' | 'off' | 'error'> =>
    call(world.draw('fencing', t.statusTimeMs), () => (pduPowered(world, host) ? (host.outletOn ? 'on' : 'off') : 'error'));
  if ((yield* status()) === 'error') {
    const wait = Math.max(0, Math.min(TCP_CONNECT_GIVE_UP_MS, deadlineMs - world.kernel.now));
    yield* sleep(wait);
    return { ok: false, timedOut: world.kernel.now >= deadlineMs, detail: 'Failed: Unable to connect/login to fencing device (PDU without power)' };
  }
  yield* sleep(world.draw('fencing', t.actionTimeMs));
  switchOutlet(world, host, action === 'on');
  yield* sleep(t.powerWaitMs);
  while ((yield* status()) !== action) {
    if (world.kernel.now >= deadlineMs) return { ok: false, timedOut: true, detail: `Failed: Timed out waiting to power ${action.toUpperCase()}` };
    yield* sleep(POLL_GAP_MS);
  }
  if (action === 'off') confirmOffByPdu(world, host);
  return { ok: true, detail: `Success: Powered ${action.toUpperCase()}` };
}

function switchOutlet(world: World, host: ComputeHost, on: boolean): void {
  if (!pduPowered(world, host)) return;
  host.outletOn = on;
  world.emit('pdu.outlet', host.name, { on });
  if (!on) world.hostEvent(host, 'POWER_OFF');
  else world.powerOn(host);
}

/** A PDU outlet reading off is a confirmed power-off: the host cannot run without it. */
function confirmOffByPdu(world: World, host: ComputeHost): void {
  host.fenceConfirmedAtMs = world.kernel.now;
  world.emit('fence.power-off-confirmed', host.name, { via: 'pdu' });
  world.pacemaker.powerFenceConfirmed(host);
}
