import type { World } from '../../sim/world.js';
import type { InstanceOutcome } from '../../reports/report-types.js';

/**
 * What a human still has to do when the run ends, as an operator reading Nova would see it: a recovery design
 * that leaves hosts disabled, forced down or on maintenance, or instances in ERROR, has not finished the job.
 * One line per action, in a fixed order (hosts by name, then instances by name).
 */
export function operatorActions(world: World, outcomes: readonly InstanceOutcome[]): string[] {
  const actions: string[] = [];
  for (const host of world.hostList) {
    const svc = world.nova.computeServices.get(host.name);
    if (!svc || !host.alive) continue;
    if (svc.forcedDown) actions.push(`${host.name}: force nova-compute up (left forced down)`);
    if (svc.status === 'disabled') actions.push(`${host.name}: enable nova-compute (left disabled: ${svc.disabledReason ?? 'no reason'})`);
  }
  for (const open of world.design.openActions?.() ?? []) actions.push(open);
  // Nova's record of each instance, read in place: `nova.instances()` would copy all of them to find the few in ERROR.
  for (const inst of world.instances.values()) {
    const rec = inst.nova;
    if (rec.vmState === 'error') actions.push(`${rec.name}: recover from ERROR (reset-state, rebuild or evacuate by hand)`);
  }
  for (const o of outcomes) {
    if (o.outcome !== 'not-recovered' || o.reason === 'not-opted-in') continue;
    actions.push(`${o.name}: not running (${o.reason ?? 'unknown'}): evacuate or start it by hand`);
  }
  return actions;
}

/** Compute hosts up at the end whose nova-compute Nova still has disabled or forced down. */
export function hostsLeftDisabled(world: World): number {
  let n = 0;
  for (const host of world.hostList) {
    const svc = world.nova.computeServices.get(host.name);
    if (svc && host.alive && (svc.forcedDown || svc.status === 'disabled')) n++;
  }
  return n;
}
