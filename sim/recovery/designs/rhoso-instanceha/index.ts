import type { DesignDefinition } from '../../design.js';
import { CONFIG_SCHEMA, durationBoundsProblems, resolveConfig, type RhosoConfig } from './config.js';
import { RHOSO_DEFECTS, withDefects } from './defects.js';
import { RhosoInstanceHa, type RhosoPorts } from './poller.js';

/**
 * RHOSO InstanceHA (Red Hat OpenStack Services on OpenShift 18): a poller in a Kubernetes pod, no Pacemaker
 * (openstack-k8s-operators/infra-operator `templates/instanceha/bin/instanceha.py`). README "Recovery designs".
 */
export const rhosoInstanceHa: DesignDefinition<RhosoConfig> = {
  name: 'rhoso-instanceha',
  summary: 'RHOSO 18 InstanceHA: a poller pod reads Nova\'s service list every POLL, fences through the BMC, evacuates, powers the host back on',
  capabilities: {
    // Computes are EDPM nodes outside any Pacemaker cluster: the poller fences them itself through their BMCs.
    pacemakerFencing: 'none',
    evacuation: 'automatic',
    needsQuorum: false,
    fencesBeforeEvacuating: true,
    // Opt-in through EVACUABLE_TAG on images, flavors and aggregates.
    honoursOptIn: true,
  },
  configSchema: CONFIG_SCHEMA,
  defects: RHOSO_DEFECTS,
  validate(config, context) {
    const problems = durationBoundsProblems(config);
    for (const host of Object.keys(config.fencingProtocolByHost)) {
      if (!context.hosts.some((h) => h.name === host)) problems.push(`fencingProtocolByHost: no compute named \`${host}\``);
    }
    return problems;
  },
  resolve: (recovery) => resolveConfig(recovery),
  create(ports, config) {
    return new RhosoInstanceHa(ports as RhosoPorts, withDefects(config, (name) => ports.hasDefect(name)));
  },
};
