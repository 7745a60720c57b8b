import { sleep, type Op } from '../kernel/process.js';
import type { ComputeHost } from '../infra/compute-host.js';
import { simPorts } from '../recovery/sim-ports.js';
import type { FenceResult, Ports } from '../recovery/ports.js';
import type { World } from '../world.js';

/**
 * stonithd executing the fencing topology for a compute: one level holding the power device and the policy's
 * second device (fence-nova for instance HA); the level passes only if every device succeeds. A failed level is
 * retried after a pause, for ever: if fencing cannot succeed, nothing is evacuated (safety over liveness).
 */
export function* fenceNode(world: World, host: ComputeHost, dc: string): Op<void> {
  const ports = simPorts(world, dc);
  const p = world.config.pacemaker;
  for (;;) {
    if (p.fenceDelayMs > 0) yield* sleep(p.fenceDelayMs);
    const inc = world.incidents.of(host.name, world.kernel.now);
    inc.fenceAttempts++;
    const wasHealthy = host.alive && [...host.domains.values()].some((d) => d.executing);
    world.emit('pacemaker.fence.start', host.name, { dc, action: p.fenceAction, attempt: inc.fenceAttempts });
    const power = yield* powerDevice(world, ports, host.name);
    const second = power.ok ? yield* world.policy.fenceSecondDevice(ports, host.name) : true;
    if (power.ok && second) {
      if (wasHealthy) inc.falseFence = true;
      world.emit('pacemaker.fence.ok', host.name, { dc, detail: power.detail });
      world.pacemaker.nodeFenced(host);
      return;
    }
    inc.fenceFailures++;
    world.emit('pacemaker.fence.failed', host.name, { dc, detail: power.ok ? 'second device failed' : power.detail });
    yield* sleep(p.fenceRetryDelayMs);
  }
}

/** The level's power device, with the defects that weaken it (ihasim check --defect). */
function* powerDevice(world: World, ports: Ports, host: string): Op<FenceResult> {
  if (world.defects.has('evacuate-without-fencing')) return { ok: true, detail: 'power device skipped (defect)' };
  const result = yield* ports.power.fence(host, world.config.pacemaker.fenceAction);
  // Masakari before LP#1858762: a power state the BMC could not confirm was treated as fenced.
  if (!result.ok && world.defects.has('evacuate-on-fence-failure')) return { ok: true, detail: `${result.detail} (ignored: defect)` };
  return result;
}
