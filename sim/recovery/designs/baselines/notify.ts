import type { Op } from '../../../kernel/process.js';
import type { DesignDefinition, RecoveryDesign, SecondFenceDevice } from '../../design.js';
import type { DesignPorts } from '../../design-ports.js';
import type { Ports } from '../../ports.js';
import { agentPorts } from '../pacemaker-instanceha/agent-ports.js';
import type { InstanceHaConfig } from '../pacemaker-instanceha/design.js';
import { fenceComputeOff, fenceComputeOn, fixedWaitFenceNova } from '../pacemaker-instanceha/fence-compute.js';
import { instanceHaConfig } from '../pacemaker-instanceha/index.js';

/** `notify`: fence exactly as instance HA (power + force-down/disable), then notify a sink; nothing evacuates. */
class NotifyDesign implements RecoveryDesign {
  readonly secondFenceDevice: SecondFenceDevice;
  private readonly agent: Ports;

  constructor(private readonly ports: DesignPorts, private readonly config: InstanceHaConfig) {
    const agent = (this.agent = agentPorts(ports));
    this.secondFenceDevice = {
      off: (host, deadlineMs) => this.fenceAndNotify(host, deadlineMs),
      // Nothing evacuates and the operator unfences: fence_compute `on` would only wait for `evacuate=no` in vain.
      runsOn: () => false,
      on: (host, deadlineMs) => fenceComputeOn(agent, host, config.computeAgent, deadlineMs),
    };
  }

  start(): void {}

  private *fenceAndNotify(host: string, deadlineMs: number): Op<boolean> {
    const { agent } = this;
    const ok = this.ports.hasDefect('fixed-wait-no-force-down')
      ? yield* fixedWaitFenceNova(agent, host)
      : yield* fenceComputeOff(agent, host, { forceDown: this.config.recovery.forceDown, agent: this.config.computeAgent, deadlineMs });
    if (ok) yield* this.ports.notifier.notify('host-failure', host, 'host fenced and marked down; no automatic evacuation');
    return ok;
  }

  hostBooted(host: string): void {
    this.ports.lifecycle.releaseNovaCompute(host);
  }
}

export const notifyDesign: DesignDefinition<InstanceHaConfig> = {
  name: 'notify',
  summary: 'Fence as instance HA does, then notify a sink (Masakari-style notification); nothing evacuates.',
  capabilities: {
    pacemakerFencing: 'power+nova', evacuation: 'notify-only', needsQuorum: true, fencesBeforeEvacuating: true, honoursOptIn: true,
  },
  configSchema: {},
  resolve: (_recovery, context) => instanceHaConfig(context),
  create: (ports, config) => new NotifyDesign(ports, config),
};
