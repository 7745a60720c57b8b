import type { DesignPorts } from '../../design-ports.js';
import type { Ports } from '../../ports.js';

/**
 * The narrow ports the fence agents and NovaEvacuate were written against (sim/recovery/ports.ts), on a design's
 * ports: the same calls, so fence_compute / fence_evacuate read as their Python does. Needs the cluster port
 * (attrd): this design's capabilities give it one.
 */
export function agentPorts(p: DesignPorts): Ports {
  const nova = p.nova;
  return {
    nova: {
      services: (host) => nova.services({ host, binary: 'nova-compute' }),
      pollUntilOff: (host, gapMs, deadlineMs) => nova.pollUntilServiceOff(host, gapMs, deadlineMs),
      forceDown: (host, down) => nova.forceDown(host, down),
      disable: (host, reason) => nova.disable(host, reason),
      enable: (host) => nova.enable(host),
      servers: (host) => nova.servers(host),
      evacuate: (uuid, request) => nova.evacuate(uuid, request),
      migrations: (filter) => nova.migrations(filter),
      flavors: () => nova.flavors(),
      images: () => nova.images(),
      hypervisors: () => nova.hypervisors(),
    },
    power: p.fenceAgent,
    attrd: p.cluster!.attrd,
    notifier: p.notifier,
    now: () => p.clock.now(),
    log: (type, entity, fields) => p.log(type, entity, fields),
  };
}
