import type { DesignDefinition, RecoveryDesign } from '../../design.js';
import type { DesignPorts } from '../../design-ports.js';

/** `external`: nothing inside recovers; an agent outside acts through the served APIs (`ihasim serve`). */
class ExternalDesign implements RecoveryDesign {
  constructor(private readonly ports: DesignPorts) {}

  start(): void {}

  hostBooted(host: string): void {
    this.ports.lifecycle.releaseNovaCompute(host);
  }
}

export const externalDesign: DesignDefinition<null> = {
  name: 'external',
  summary: 'Nothing inside recovers: an agent outside drives the served APIs (ihasim serve).',
  capabilities: {
    // Whatever the outside agent does is judged by the invariants; the world assumes nothing of it.
    pacemakerFencing: 'none', evacuation: 'external', needsQuorum: false, fencesBeforeEvacuating: false, honoursOptIn: false,
  },
  configSchema: {},
  resolve: () => null,
  create: (ports) => new ExternalDesign(ports),
};
