/**
 * What a human still has to do after a live campaign, read from the last observation of each thing the observers
 * polled — the live counterpart of harness/run/operator-actions.ts: a host whose nova-compute Nova still has
 * disabled or forced down while its BMC reports power on (or was never polled: only targets are), and a server
 * Nova shows in ERROR. One line per action, hosts by name then servers by name.
 */
import type { Observation } from '../history/observation.js';

interface LastService { status: 'enabled' | 'disabled'; forcedDown: boolean; disabledReason: string | null }

export function liveOperatorActions(observations: readonly Observation[]): { actions: string[]; hostsLeftDisabled: number } {
  const services = new Map<string, LastService>();
  const power = new Map<string, string>();
  const vmStates = new Map<string, string>();
  for (const o of observations) {
    if (o.kind === 'nova-service') services.set(o.host, { status: o.status, forcedDown: o.forcedDown, disabledReason: o.disabledReason ?? null });
    else if (o.kind === 'power') power.set(o.host, o.state);
    else if (o.kind === 'nova-server') vmStates.set(o.instance, o.vmState);
  }
  const actions: string[] = [];
  let hostsLeftDisabled = 0;
  for (const host of [...services.keys()].sort()) {
    const svc = services.get(host)!;
    if ((power.get(host) ?? 'on') !== 'on' || (!svc.forcedDown && svc.status !== 'disabled')) continue;
    hostsLeftDisabled++;
    if (svc.forcedDown) actions.push(`${host}: force nova-compute up (left forced down)`);
    if (svc.status === 'disabled') actions.push(`${host}: enable nova-compute (left disabled: ${svc.disabledReason ?? 'no reason'})`);
  }
  for (const name of [...vmStates.keys()].sort()) {
    if (vmStates.get(name) === 'error') actions.push(`${name}: recover from ERROR (reset-state, rebuild or evacuate by hand)`);
  }
  return { actions, hostsLeftDisabled };
}
