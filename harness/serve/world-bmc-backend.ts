/**
 * The `BmcBackend` of `ihasim serve`: the mock IPMI and Redfish endpoints read and drive the simulated world's
 * BMCs. Power comes from the host's truth, reachability from the BMC's condition and the `ipmi` network, and
 * power actions go through `world.bmcAction` with a seeded latency, as the simulated fence agent does.
 */
import type { Bmc } from '../../sim/infra/bmc.js';
import type { World } from '../../sim/world.js';
import type { BmcBackend, BmcNode, BmcReachability, ChassisPower, PowerAction } from './bmc/backend.js';

/**
 * How long after it completes an action keeps changing the chassis (sim/world.ts `bmcAction`: a `cycle` powers
 * on 1 s after its off, a `soft` off lands 10 s after the guests are asked to shut down).
 */
const ACTION_TAIL_MS: Partial<Record<PowerAction, number>> = { cycle: 1_000, soft: 10_000 };

export interface WorldBmcBackendOptions {
  /** Called before every read or action, so the world is at the current sim time (the real-time driver). */
  sync?: () => void;
  /** Told of every power action the BMC accepted (the replay scenario lists them: they are not faults). */
  onAction?: (node: string, action: PowerAction, via: 'ipmi' | 'redfish') => void;
}

/**
 * BMCs of the world's computes. Every node serves both IPMI and Redfish whatever its `bmc.kind` (the kind is
 * which device Pacemaker would use; a real BMC usually speaks both), with the scenario's credentials.
 */
export class WorldBmcBackend implements BmcBackend {
  private readonly nodeList: readonly BmcNode[];
  private readonly sync: () => void;
  private readonly onAction: NonNullable<WorldBmcBackendOptions['onAction']>;
  /** Nodes with an `off` requested through their BMC and not yet confirmed by a status read, with the interface. */
  private readonly offRequested = new Map<string, 'ipmi' | 'redfish'>();
  /**
   * Sim time by which each BMC's last accepted action has fully taken effect. A BMC carries out actions in the
   * order it received them (one management controller, one chassis), so a later action never completes before
   * an earlier one: `power off` then `power on` ends on, whatever latencies were drawn.
   */
  private readonly busyUntil = new Map<string, number>();
  /** Nodes whose current powered-off period has been confirmed (cleared when they are seen on again). */
  private readonly confirmedWhileOff = new Set<string>();

  constructor(
    private readonly world: World,
    options: WorldBmcBackendOptions = {},
  ) {
    this.sync = options.sync ?? (() => {});
    this.onAction = options.onAction ?? (() => {});
    this.nodeList = Object.freeze(world.hostList.map((h) => Object.freeze({
      name: h.name,
      credentials: { username: h.spec.bmc.username, password: h.spec.bmc.password },
      ipmi: true,
      redfish: true,
    })));
  }

  nodes(): readonly BmcNode[] {
    return this.nodeList;
  }

  reachability(node: string): BmcReachability {
    this.sync();
    return bmcReachability(this.world, this.bmc(node));
  }

  /**
   * The chassis power as the BMC reads it. A read of "off" is what a fence agent polls for after its `off`:
   * that read confirms the fence (see {@link confirmIfFenced}).
   */
  power(node: string): ChassisPower {
    this.sync();
    const bmc = this.bmc(node);
    if (bmc.host.poweredOn) {
      this.confirmedWhileOff.delete(node);
      return 'on';
    }
    this.confirmIfFenced(bmc);
    return 'off';
  }

  async powerAction(node: string, action: PowerAction, via: 'ipmi' | 'redfish'): Promise<void> {
    this.sync();
    const bmc = this.bmc(node);
    const reach = bmcReachability(this.world, bmc);
    if (reach !== 'ok') throw new Error(`BMC of ${node} is ${reach}`);
    const t = this.world.config.fencing[via];
    // Drawn from the same stream and distributions as sim/adapters/sim-fence-agent.ts `send`.
    const extra = bmc.extraLatency ? this.world.draw('fencing', bmc.extraLatency) : 0;
    const drawn = this.world.draw('fencing', t.actionTimeMs) + extra;
    // Queued behind the previous action of this BMC; the kernel fires same-time events in scheduling order.
    const now = this.world.kernel.now;
    const completesAt = Math.max(now + drawn, this.busyUntil.get(node) ?? -Infinity);
    this.busyUntil.set(node, completesAt + (ACTION_TAIL_MS[action] ?? 0));
    this.world.bmcAction(bmc, action, completesAt - now);
    if (action === 'off' || action === 'soft') {
      // Defect `trust-bmc-ok` (as sim/adapters/sim-fence-agent.ts `trustingFence`): the BMC's OK is taken as the
      // power being off, before any status read; the trace says assumed, not confirmed.
      if (this.world.defects.has('trust-bmc-ok')) this.markFenced(bmc, via, 'fence.power-off-assumed');
      else this.offRequested.set(node, via);
    } else if (action === 'on') this.offRequested.delete(node);
    this.onAction(node, action, via);
  }

  /** Forget confirmations of hosts that are on again (the driver calls this after every advance). */
  observe(): void {
    for (const h of this.world.hostList) if (h.poweredOn) this.confirmedWhileOff.delete(h.name);
  }

  /**
   * A status read returned "off". It confirms the fence when an `off` was requested through this BMC (what
   * fence_ipmilan and fence_redfish do: act, then poll status until off), or when this powered-off period has
   * not been confirmed yet: an agent that finds the host already off reports "Success: Already OFF" and sends
   * no action, and the simulated agent (`simPowerFence`) confirms that case too.
   */
  private confirmIfFenced(bmc: Bmc): void {
    const node = bmc.host.name;
    if (!this.offRequested.has(node) && this.confirmedWhileOff.has(node)) return;
    const via = this.offRequested.get(node) ?? bmc.spec.kind;
    this.offRequested.delete(node);
    this.confirmedWhileOff.add(node);
    this.markFenced(bmc, via, 'fence.power-off-confirmed');
  }

  /** Duplicates sim/adapters/sim-fence-agent.ts `confirmOff` (not exported there): Pacemaker learns the node is off. */
  private markFenced(bmc: Bmc, via: 'ipmi' | 'redfish', event: 'fence.power-off-confirmed' | 'fence.power-off-assumed'): void {
    bmc.host.fenceConfirmedAtMs = this.world.kernel.now;
    // This powered-off period is taken care of (an assumed one is forgotten if the host is still seen on).
    this.confirmedWhileOff.add(bmc.host.name);
    this.world.emit(event, bmc.host.name, { via, served: true });
    this.world.pacemaker.powerFenceConfirmed(bmc.host);
  }

  private bmc(node: string): Bmc {
    const bmc = this.world.bmcs.get(node);
    if (!bmc) throw new Error(`unknown BMC node ${node}`);
    return bmc;
  }
}

/**
 * How a BMC answers right now: its condition (bmc-unreachable, bmc-broken), else unreachable when the `ipmi`
 * network cannot carry its traffic: its host's `ipmi` NIC is down, or a partition cuts it from every controller
 * (the served agents act from the controllers' side of the network).
 */
export function bmcReachability(world: World, bmc: Bmc): BmcReachability {
  if (bmc.condition === 'unreachable') return 'unreachable';
  const node = bmc.host.name;
  if (!world.nets.nicUp(node, 'ipmi')) return 'unreachable';
  const controllers = [...world.controllers.keys()];
  if (controllers.length > 0 && !controllers.some((c) => world.nets.linked('ipmi', c, node))) return 'unreachable';
  return bmc.condition === 'broken' ? 'broken' : 'ok';
}
