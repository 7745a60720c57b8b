import { sleep, type Op } from '../../../kernel/process.js';
import type { RecoverySpec } from '../../../scenario-spec.js';
import type { DesignDefinition, RecoveryDesign } from '../../design.js';
import type { DesignPorts } from '../../design-ports.js';
import { computeServiceOr, evacuateAllOrFail } from './evacuate-all.js';

interface NoFenceConfig {
  recovery: RecoverySpec;
  /** `config.monitor.pollInterval`: the monitor's poll period of Nova's service list. */
  pollIntervalMs: number;
}

/**
 * `no-fence`: a Nagios-style monitor polls Nova's service list and evacuates a host as soon as Nova reports it
 * down — without fencing. Unsafe by design: the baseline the checkers must catch.
 */
class NoFenceDesign implements RecoveryDesign {
  private started = false;

  constructor(private readonly ports: DesignPorts, private readonly config: NoFenceConfig) {}

  start(): void {}

  /** The monitor starts with the first DC the cluster elects (when the site's control plane comes up). */
  clusterStarted(): void {
    if (this.started) return;
    this.started = true;
    this.ports.spawn('no-fence-monitor', 'external', this.monitor());
  }

  private *monitor(): Op<void> {
    const { ports } = this;
    const done = new Set<string>();
    for (;;) {
      yield* sleep(this.config.pollIntervalMs);
      for (const h of ports.lifecycle.hosts()) {
        // A failed API call (nova-api-errors) skips the host until the next poll.
        const svc = yield* computeServiceOr(ports, h);
        if (svc === 'error') continue;
        if (!svc || svc.state === 'up') {
          done.delete(h);
          continue;
        }
        if (done.has(h)) continue;
        ports.log('monitor.host-down', h);
        if (yield* evacuateAllOrFail(ports, this.config.recovery, h)) done.add(h);
      }
    }
  }

  hostBooted(host: string): void {
    this.ports.lifecycle.releaseNovaCompute(host);
  }
}

export const noFenceDesign: DesignDefinition<NoFenceConfig> = {
  name: 'no-fence',
  summary: 'A monitor evacuates a host as soon as Nova reports it down, without fencing (unsafe baseline).',
  capabilities: {
    pacemakerFencing: 'none', evacuation: 'automatic', needsQuorum: false, fencesBeforeEvacuating: false, honoursOptIn: true,
  },
  configSchema: {},
  resolve: (_recovery, context) => ({ recovery: context.recovery, pollIntervalMs: context.config.monitor.pollIntervalMs }),
  create: (ports, config) => new NoFenceDesign(ports, config),
};
