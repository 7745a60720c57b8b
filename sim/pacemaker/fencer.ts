import { sleep, type Op } from '../kernel/process.js';
import type { ComputeHost } from '../infra/compute-host.js';
import { simPowerFence, type FenceResult } from '../adapters/sim-fence-agent.js';
import { simPduFence } from '../adapters/sim-pdu-agent.js';
import type { World } from '../world.js';

/** lib/fencing/st_actions.c `stonith_action_execute_async` callback: a failed execution is retried after 1 s. */
const DEVICE_RETRY_GAP_MS = 1_000;
/** `update_remaining_timeout`: a retry needs at least 30 % of the action's timeout left. */
const RETRY_MIN_REMAINING = 0.3;

/**
 * The DC fencing a compute through its topology: one level holding the power device and, with
 * `capabilities.pacemakerFencing: power+nova`, the design's second device (`secondFenceDevice`: fence-nova for
 * instance HA); with `power`, the power device alone (and nothing of the design in the on phase).
 * - One fencing operation: with `reboot`, every device of the level `off`, then every device `on`
 *   (daemons/fenced/fenced_remote.c remaps a multi-device reboot: `op_phase_off` / `op_phase_on`); the off phase
 *   alone decides success — an `on` failure is ignored (`fenced_process_fencing_reply`). With `off`
 *   (`pcmk_reboot_action=off`) there is no on phase.
 * - Each device action is bounded by `stonith-timeout` and executed up to `pcmk_<action>_retries` times.
 * - A failed operation makes the controller restart its transition at once, up to `fencing-max-attempts` for the
 *   target; after that it waits for the next transition (`cluster-recheck-interval`) and tries once per interval
 *   (daemons/controld/controld_fencing.c `abort_for_fencing_failure`). The count belongs to this DC: a new DC
 *   starts from zero. Nothing is evacuated until fencing succeeds (safety over liveness).
 */
export function* fenceNode(world: World, host: ComputeHost, dc: string): Op<void> {
  const p = world.config.pacemaker;
  let failures = 0;
  for (;;) {
    if (p.fenceDelayMs > 0) yield* sleep(p.fenceDelayMs);
    const inc = world.incidents.of(host.name, world.kernel.now);
    inc.fenceAttempts++;
    const wasHealthy = host.alive && runsAGuest(host);
    world.emit('pacemaker.fence.start', host.name, { dc, action: p.fenceAction, attempt: inc.fenceAttempts });
    world.probe.recoveryAction('fence', host.name, dc, world.kernel.now);
    const { off, level } = yield* firstLevelThatFences(world, dc, host.name);
    if (off.ok) {
      if (p.fenceAction === 'reboot') yield* onPhase(world, dc, host.name, level);
      if (wasHealthy) inc.falseFence = true;
      world.emit('pacemaker.fence.ok', host.name, { dc, detail: off.detail });
      world.pacemaker.nodeFenced(host);
      return;
    }
    inc.fenceFailures++;
    failures++;
    world.emit('pacemaker.fence.failed', host.name, { dc, detail: off.detail, failures });
    if (failures >= p.fencingMaxAttempts) {
      world.emit('pacemaker.fence.too-many-failures', host.name, { dc, failures });
      yield* sleep(p.clusterRecheckIntervalMs);
    }
  }
}

/** A guest executes on the host (fencing it then is a false fence). */
function runsAGuest(host: ComputeHost): boolean {
  for (const d of host.domains.values()) if (d.executing) return true;
  return false;
}

/** The power device of a fencing level: the host's BMC (level 1) or its rack PDU outlets (level 2). */
type PowerLevel = 'bmc' | 'pdu';

/**
 * The fencing topology, level by level within one operation (daemons/fenced/fenced_remote.c
 * `advance_topology_level`): a level whose off phase fails hands over to the next; the operation fails when
 * every level failed.
 */
function* firstLevelThatFences(world: World, dc: string, host: string): Op<{ off: FenceResult; level: PowerLevel }> {
  const levels: PowerLevel[] = world.config.fencing.secondLevel === 'pdu' ? ['bmc', 'pdu'] : ['bmc'];
  let off: FenceResult = { ok: false, detail: 'no fencing level' };
  for (const level of levels) {
    off = yield* offPhase(world, dc, host, level);
    if (off.ok) return { off, level };
    if (level !== levels.at(-1)) world.emit('pacemaker.fence.level-failed', host, { level, detail: off.detail });
  }
  return { off, level: levels.at(-1)! };
}

/** Every device of the level `off`, in order; the first that fails fails the operation. */
function* offPhase(world: World, dc: string, host: string, level: PowerLevel): Op<FenceResult> {
  const power = yield* device(world, (deadline) =>
    level === 'pdu' ? simPduFence(world, host, 'off', deadline) : powerDevice(world, dc, host, deadline));
  if (!power.ok || !secondDeviceOf(world)) return power;
  const second = yield* device(world, (deadline) => secondDevice(world, host, deadline, 'off'));
  return second.ok ? power : { ok: false, detail: `second device failed: ${second.detail}` };
}

/** Every device `on`, failures only logged; devices with automatic unfencing are left to the node's rejoin. */
function* onPhase(world: World, dc: string, host: string, level: PowerLevel): Op<void> {
  const power = yield* device(world, (deadline) =>
    level === 'pdu' ? simPduFence(world, host, 'on', deadline) : simPowerFence(world, dc, host, 'on', deadline));
  if (!power.ok) world.emit('pacemaker.fence.on-failure-ignored', host, { device: 'power', detail: power.detail });
  if (!secondDeviceOf(world)?.runsOn()) return;
  const second = yield* device(world, (deadline) => secondDevice(world, host, deadline, 'on'));
  if (!second.ok) world.emit('pacemaker.fence.on-failure-ignored', host, { device: 'second', detail: second.detail });
}

/** One device action: killed at `stonith-timeout`, retried 1 s apart while tries and ≥ 30 % of the timeout remain. */
function* device(world: World, exec: (deadlineMs: number) => Op<FenceResult>): Op<FenceResult> {
  const p = world.config.pacemaker;
  const start = world.kernel.now;
  const deadline = start + p.stonithTimeoutMs;
  for (let tries = 1; ; tries++) {
    const result = yield* exec(deadline);
    const elapsed = world.kernel.now - start;
    if (result.ok || result.timedOut || tries >= p.pcmkActionRetries || elapsed >= (1 - RETRY_MIN_REMAINING) * p.stonithTimeoutMs) return result;
    yield* sleep(DEVICE_RETRY_GAP_MS);
  }
}

/** The design's device beside the power device, when its capabilities put one in the level. */
function secondDeviceOf(world: World): World['design']['secondFenceDevice'] {
  return world.designDefinition.capabilities.pacemakerFencing === 'power+nova' ? world.design.secondFenceDevice : undefined;
}

function* secondDevice(world: World, host: string, deadline: number, action: 'off' | 'on'): Op<FenceResult> {
  const device = secondDeviceOf(world)!;
  const ok = action === 'off' ? yield* device.off(host, deadline) : yield* device.on(host, deadline);
  const timedOut = !ok && world.kernel.now >= deadline;
  return { ok, timedOut, detail: ok ? `Success: ${action}` : timedOut ? 'Timed out' : 'Failed' };
}

/** The level's power device, with the defects that weaken it (ihasim check --defect). */
function* powerDevice(world: World, dc: string, host: string, deadline: number): Op<FenceResult> {
  if (world.hasDefect('evacuate-without-fencing')) return { ok: true, detail: 'power device skipped (defect)' };
  const result = yield* simPowerFence(world, dc, host, 'off', deadline);
  // Masakari before LP#1858762: a power state the BMC could not confirm was treated as fenced.
  if (!result.ok && world.hasDefect('evacuate-on-fence-failure')) return { ok: true, detail: `${result.detail} (ignored: defect)` };
  return result;
}
