import type { Instance } from '../../../sim/instance.js';
import type { World } from '../../../sim/world.js';
import type { InstanceOutcome } from '../../../reports/report-types.js';
import type { Observation } from '../observation.js';
import type { SimHistory } from './sim-history.js';

/**
 * What the simulator measured by the end (or by now, for `ihasim serve`): each affected instance's outcome and, when
 * convergence is to be judged, Nova's view next to the truth: where every instance executes and what Nova says of it,
 * every compute service and whether its host is healthy. `settled`: liveness that waits for the settle time may be
 * judged now.
 */
export function simEndObservations(world: World, history: SimHistory, outcomes: readonly InstanceOutcome[], settled: boolean): Observation[] {
  const now = world.kernel.now;
  const out: Observation[] = [];
  for (const o of outcomes) {
    out.push({
      t: now, source: 'truth', kind: 'outcome', instance: o.name, outcome: o.outcome, reason: o.reason, fromHost: o.fromHost,
      failedAtMs: o.failedAtMs, recoveredAtMs: o.recoveredAtMs, downtimeMs: o.downtimeMs,
      longestEarlierOutageMs: world.instancesByName.get(o.name)!.milestones.longestEarlierOutageMs,
    });
  }
  const header = history.header!;
  const converging = settled && now >= header.healedAtMs + header.settleMs && header.judged.includes('convergence');
  if (converging || history.recorded) snapshot(world, out, history.recorded !== null);
  out.push({ t: now, source: 'harness', kind: 'end', settled });
  return out;
}

/**
 * Nova's view next to the truth. Unless the history is kept, only for the instances an evacuation touched or with
 * other than one domain: the others still run where they were placed, which is where Nova placed them (only an
 * evacuation moves either), so listing them would cost every seed of a multi-seed run for nothing.
 */
function snapshot(world: World, out: Observation[], full: boolean): void {
  const now = world.kernel.now;
  for (const inst of world.instances.values()) {
    if (!full && inst.milestones.evacuations === 0 && inst.domains.length === 1) continue;
    out.push({ t: now, source: 'truth', kind: 'executing', instance: inst.name, hosts: executingHosts(inst) });
    out.push({ t: now, source: 'nova', kind: 'nova-server', instance: inst.name, host: inst.nova.host, vmState: inst.nova.vmState, taskState: inst.nova.taskState });
  }
  for (const h of world.hostList) {
    const svc = world.nova.computeServices.get(h.name)!;
    out.push({ t: now, source: 'nova', kind: 'nova-service', host: h.name, state: svc.isUp(now) ? 'up' : 'down', status: svc.status, forcedDown: svc.forcedDown, disabledReason: svc.disabledReason });
    out.push({ t: now, source: 'truth', kind: 'host-health', host: h.name, healthy: h.alive && h.novaCompute === 'running' && world.reachesControlPlane(h.name) });
  }
}

/**
 * The hosts where `inst` executes, in an array of exactly that size: built for every evacuated instance of every
 * seed, and an array grown by `push` from empty reserves room for 17.
 */
export function executingHosts(inst: Instance): string[] {
  let n = 0;
  for (const d of inst.domains) if (d.executing) n++;
  const hosts = new Array<string>(n);
  let i = 0;
  for (const d of inst.domains) if (d.executing) hosts[i++] = d.host.name;
  return hosts;
}
