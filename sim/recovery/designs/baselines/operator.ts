import { sleep, type Op } from '../../../kernel/process.js';
import type { Dist } from '../../../kernel/dist-types.js';
import { NovaApiError } from '../../nova-api-error.js';
import type { RecoverySpec } from '../../../scenario-spec.js';
import type { DesignDefinition, RecoveryDesign } from '../../design.js';
import type { DesignPorts } from '../../design-ports.js';
import { evacuateAll } from './evacuate-all.js';

/** An operator whose API call failed tries again this much later. */
const RETRY_MS = 60_000;

interface OperatorConfig {
  recovery: RecoverySpec;
  /** `config.operator.responseTime`: from the alert to the operator acting. */
  responseTimeMs: Dist;
}

/** `none`: nothing automatic; an operator acts after the response time: power off via the BMC, force down, evacuate. */
class OperatorDesign implements RecoveryDesign {
  private readonly handled = new Set<string>();

  constructor(private readonly ports: DesignPorts, private readonly config: OperatorConfig) {}

  start(): void {}

  /** The cluster's alert (a compute declared unclean) pages the operator. */
  nodeFailed(host: string): void {
    if (this.handled.has(host)) return;
    this.handled.add(host);
    this.ports.spawn(`operator:${host}`, 'external', this.operator(host));
  }

  private *operator(host: string): Op<void> {
    const { ports } = this;
    yield* sleep(ports.random.draw(this.config.responseTimeMs));
    ports.log('operator.acts', host);
    const fenced = yield* ports.fenceAgent.fence(host, 'off');
    if (!fenced.ok) return ports.log('operator.gives-up', host, { why: fenced.detail });
    for (;;) {
      try {
        yield* ports.nova.forceDown(host, true);
        if (yield* evacuateAll(ports, this.config.recovery, host)) break;
      } catch (err) {
        if (!(err instanceof NovaApiError)) throw err;
      }
      yield* sleep(RETRY_MS);
    }
    this.handled.delete(host);
  }

  hostBooted(host: string): void {
    this.ports.lifecycle.releaseNovaCompute(host);
  }
}

export const operatorDesign: DesignDefinition<OperatorConfig> = {
  name: 'none',
  summary: 'Nothing automatic: an operator, paged by the cluster, powers the host off, forces it down and evacuates.',
  capabilities: {
    pacemakerFencing: 'none', evacuation: 'operator', needsQuorum: true, fencesBeforeEvacuating: true, honoursOptIn: true,
  },
  configSchema: {},
  randomStream: 'operator',
  resolve: (_recovery, context) => ({ recovery: context.recovery, responseTimeMs: context.config.operator.responseTimeMs }),
  create: (ports, config) => new OperatorDesign(ports, config),
};
