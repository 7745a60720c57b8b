import type { DesignDefinition } from '../../design.js';
import { MASAKARI_CONFIG_SCHEMA, resolveMasakari, validateMasakari, type MasakariConfig } from './config.js';
import { MASAKARI_DEFECTS } from './defects.js';
import { MasakariDesign } from './masakari.js';

/**
 * `recovery: { policy: masakari, … }`: openstack/masakari (API, engine, taskflow host-failure flows) with
 * masakari-monitors' host monitor on the Pacemaker computes. Knobs are the upstream options, with their defaults.
 */
export const masakariDesign: DesignDefinition<MasakariConfig> = {
  name: 'masakari',
  summary: 'Masakari: host monitors report Pacemaker node failures (BMC-checked), the engine disables the service, ' +
    'waits 180 s and evacuates (auto or reserved hosts); Pacemaker STONITH fences with the power device only',
  capabilities: {
    pacemakerFencing: 'power',
    evacuation: 'automatic',
    needsQuorum: false,
    fencesBeforeEvacuating: true,
    honoursOptIn: true,
  },
  configSchema: MASAKARI_CONFIG_SCHEMA,
  validate: validateMasakari,
  resolve: resolveMasakari,
  create: (ports, config) => new MasakariDesign(ports, config),
  defects: MASAKARI_DEFECTS,
};
