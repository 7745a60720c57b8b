import type { DesignDefinition, DesignResolveContext } from '../../design.js';
import { InstanceHaDesign, type InstanceHaConfig } from './design.js';

/** Pacemaker instance HA: the default design (`recovery.policy: instanceha`). */
export const pacemakerInstanceHa: DesignDefinition<InstanceHaConfig> = {
  name: 'instanceha',
  summary: 'Pacemaker instance HA: fence (power device + fence_compute in one level), NovaEvacuate evacuates, nova-compute-wait unfences.',
  capabilities: {
    pacemakerFencing: 'power+nova', evacuation: 'automatic', needsQuorum: true, fencesBeforeEvacuating: true, honoursOptIn: true,
  },
  configSchema: {},
  resolve: (_recovery, context) => instanceHaConfig(context),
  create: (ports, config) => new InstanceHaDesign(ports, config),
};

/** The design's settings live in the common `recovery:` keys and in `config.pacemaker|fencing|unfence`. */
export function instanceHaConfig(context: DesignResolveContext): InstanceHaConfig {
  const { pacemaker, fencing, unfence } = context.config;
  return {
    recovery: context.recovery,
    novaEvacuateIntervalMs: pacemaker.novaEvacuateIntervalMs,
    evacuateRetryMs: pacemaker.evacuateRetryMs,
    unfenceDelayMs: pacemaker.unfenceDelayMs,
    computeAgent: fencing.computeAgent,
    unfenceOrder: unfence.order,
  };
}
