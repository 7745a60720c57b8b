import { call, sleep, type Op } from '../kernel/process.js';
import type { Rng } from '../kernel/rng.js';
import type { Dist } from '../kernel/dist-types.js';
import type { Bmc } from '../infra/bmc.js';
import type { BmcPort, BmcReply } from '../recovery/design-ports.js';
import type { World } from '../world.js';
import { callerNode } from './caller.js';

/**
 * BmcPort on the world's BMCs: one `ipmitool … chassis power status|off|on` or Redfish `GET` / `ComputerSystem.Reset`,
 * one try, no polling (a design that needs a confirmed power-off polls `status` itself). The latencies are the
 * scenario's BMC timings of the protocol asked (`config.fencing.ipmi|redfish`): the model's BMCs speak both. They are
 * drawn from `rng`, the design's own BMC stream, so a design's commands never shift Pacemaker's fencing draws.
 * - a BMC that is unreachable from the caller's node (`bmc-unreachable`, an `ipmi` partition, a BMC without power
 *   under `bmcSharesPower`) does not answer: the command ends at `timeoutMs` with `timeout`;
 * - `bmc-slow` adds its latency; a reply later than `timeoutMs` is a `timeout` too;
 * - `bmc-broken` answers with an error (`refused`).
 * A status read of `off` counts as a confirmed power-off (host.fenceConfirmedAtMs, what `fence-before-evacuate`
 * judges): it is exactly what a fence agent's confirming poll reads.
 */
export function simBmc(world: World, rng: Rng): BmcPort {
  return { power: (host, action, options) => bmcCommand(world, rng, host, action, options) };
}

function* bmcCommand(
  world: World, rng: Rng, hostName: string, action: 'off' | 'on' | 'status',
  options: { protocol: 'ipmi' | 'redfish'; timeoutMs: number },
): Op<BmcReply> {
  const bmc = world.bmcs.get(hostName);
  if (!bmc) return { ok: false, error: 'refused', detail: `no BMC for ${hostName}` };
  const t = world.config.fencing[options.protocol];
  const draw = (d: Dist): number => Math.round(rng.draw(d));
  const latency = draw(t.statusTimeMs) + (bmc.extraLatency ? draw(bmc.extraLatency) : 0);
  if (!answers(world, bmc) || latency > options.timeoutMs) {
    yield* sleep(options.timeoutMs);
    return failedOff(world, hostName, action, { ok: false, error: 'timeout', detail: `no answer from the BMC of ${hostName} within ${options.timeoutMs} ms` });
  }
  return yield* call(latency, (): BmcReply => {
    if (!answers(world, bmc)) return failedOff(world, hostName, action, { ok: false, error: 'timeout', detail: `BMC of ${hostName} stopped answering` });
    if (bmc.condition === 'broken') return failedOff(world, hostName, action, { ok: false, error: 'refused', detail: `BMC of ${hostName} answered with an error` });
    if (action !== 'status') world.bmcAction(bmc, action, draw(t.actionTimeMs) + (bmc.extraLatency ? draw(bmc.extraLatency) : 0));
    const power = bmc.host.poweredOn ? 'on' : 'off';
    if (action === 'status' && power === 'off') confirmedOff(world, bmc);
    return { ok: true, power };
  });
}

function answers(world: World, bmc: Bmc): boolean {
  if (bmc.condition === 'unreachable') return false;
  const from = callerNode(world);
  return from === null || world.nets.linked('ipmi', from, bmc.host.name);
}

/**
 * A power-off a design sent that the BMC did not carry out: a fencing failure of the host's open incident (the
 * reports' `fencing-impossible` while no power-off is ever confirmed), as Pacemaker's fencer counts its own.
 */
function failedOff(world: World, hostName: string, action: 'off' | 'on' | 'status', reply: BmcReply): BmcReply {
  const inc = action === 'off' ? world.incidents.current(hostName) : undefined;
  if (inc) inc.fenceFailures++;
  return reply;
}

function confirmedOff(world: World, bmc: Bmc): void {
  const host = bmc.host;
  const inc = world.incidents.current(host.name);
  if (inc) inc.fenceConfirmedAtMs ??= world.kernel.now;
  const fresh = host.fenceConfirmedAtMs === null || (host.poweredOffAtMs !== null && host.fenceConfirmedAtMs < host.poweredOffAtMs);
  host.fenceConfirmedAtMs = world.kernel.now;
  if (fresh) world.emit('fence.power-off-confirmed', host.name, { via: 'bmc-status' });
}
