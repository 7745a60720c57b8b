import { describe, expect, it } from 'vitest';
import { runScenario } from '../../harness/run/run-scenario.js';
import type { DesignDefinition, RecoveryDesign } from '../../sim/recovery/design.js';
import type { DesignPorts } from '../../sim/recovery/design-ports.js';
import { registerDesign } from '../../sim/recovery/designs/registry.js';
import { scenario } from './faults-helpers.js';

/**
 * A design that relies on Pacemaker's STONITH with the power device alone (capabilities.pacemakerFencing: power,
 * as Masakari does) and evacuates from a process of its own once the node is fenced. Registered here, before the
 * first scenario of this file is validated.
 */
class PowerOnlyDesign implements RecoveryDesign {
  readonly booted: string[] = [];
  constructor(private readonly ports: DesignPorts) {}
  start(): void {}
  nodeFailed(host: string, dc: string): void {
    this.ports.log('test-design.node-failed', host, { dc });
  }
  hostBooted(host: string): void {
    this.booted.push(host);
    this.ports.lifecycle.releaseNovaCompute(host);
  }
}

let last: PowerOnlyDesign | null = null;
const powerOnly: DesignDefinition<null> = {
  name: 'power-only-test',
  summary: 'Test: Pacemaker STONITH with the power device alone; nothing evacuates.',
  capabilities: { pacemakerFencing: 'power', evacuation: 'automatic', needsQuorum: true, fencesBeforeEvacuating: true, honoursOptIn: true },
  configSchema: {},
  resolve: () => null,
  create: (ports) => (last = new PowerOnlyDesign(ports)),
};
registerDesign(powerOnly as DesignDefinition);

describe('capabilities.pacemakerFencing drives the Pacemaker model, not the design\'s name', () => {
  it('power: Pacemaker fences the unclean node with the power device alone (no fence-nova), then the design is told', () => {
    const { world } = runScenario(scenario(['{ at: 2m, kind: host-kernel-panic, target: compute-2 }'], { recovery: '{ policy: power-only-test }' }));
    const types = world.trace.records.map((r) => r.type);
    expect(types).toContain('pacemaker.fence.ok');
    expect(world.trace.records.filter((r) => r.type === 'test-design.node-failed').map((r) => r.entity)).toContain('compute-2');
    // No second device: fence_compute never ran (it would have forced the service down and set evacuate=yes).
    expect(types.filter((t) => t.startsWith('fence-nova.') || t === 'attrd.set')).toEqual([]);
    expect(world.nova.computeServices.get('compute-2')!.forcedDown).toBe(false);
    // The reboot's on phase brought the node back, and the design released its nova-compute.
    expect(last!.booted).toContain('compute-2');
  });

  it('none: the same failure is not fenced by Pacemaker (the operator baseline is paged instead)', () => {
    const { world } = runScenario(scenario(['{ at: 2m, kind: host-kernel-panic, target: compute-2 }'], { recovery: '{ policy: none }' }));
    expect(world.trace.records.some((r) => r.type === 'pacemaker.fence.start')).toBe(false);
  });
});
