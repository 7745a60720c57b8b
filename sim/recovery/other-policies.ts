import { sleep, type Op } from '../kernel/process.js';
import type { ComputeHost } from '../infra/compute-host.js';
import { NovaApiError, type ServiceRecord } from '../nova/records.js';
import type { World } from '../world.js';
import { selectInstances } from './instance-filter.js';
import { InstanceHaPolicy } from './instanceha.js';
import type { RecoveryPolicy } from './policy.js';
import type { Ports } from './ports.js';
import { simPorts } from '../adapters/sim-ports.js';

/** `notify`: fence exactly as instance HA (power + force-down/disable), then notify a sink; nothing evacuates. */
export class NotifyPolicy extends InstanceHaPolicy {
  override readonly name = 'notify';

  override clusterStarted(): void {}

  override *fenceSecondDevice(ports: Ports, host: string, deadlineMs: number): Op<boolean> {
    const ok = yield* super.fenceSecondDevice(ports, host, deadlineMs);
    if (ok) yield* ports.notifier.notify('host-failure', host, 'host fenced and marked down; no automatic evacuation');
    return ok;
  }

  /** Nothing evacuates and the operator unfences: fence_compute `on` would only wait for `evacuate=no` in vain. */
  override secondDeviceRunsOn(): boolean {
    return false;
  }

  override hostBooted(host: ComputeHost): void {
    this.world.releaseNovaCompute(host);
  }
}

/** Policies without Pacemaker fencing: nova-compute starts as soon as a host boots. */
abstract class UnfencedPolicy implements RecoveryPolicy {
  abstract readonly name: string;
  constructor(protected readonly world: World) {}
  clusterStarted(_dc: string): void {}
  nodeFailed(_host: ComputeHost, _dc: string): void {}
  *fenceSecondDevice(): Op<boolean> {
    return true;
  }
  secondDeviceRunsOn(): boolean {
    return false;
  }
  *unfenceSecondDevice(): Op<boolean> {
    return true;
  }
  hostBooted(host: ComputeHost): void {
    this.world.releaseNovaCompute(host);
  }
}

/** Evacuate every selected instance of `host` (no fencing: the caller decides if that is safe). */
function* evacuateAll(world: World, ports: Ports, host: string): Op<boolean> {
  const selected = selectInstances(world.spec.recovery.instanceFilter, yield* ports.nova.servers(host), yield* ports.nova.flavors(), yield* ports.nova.images());
  let ok = true;
  for (const s of selected) {
    if (s.storage === 'local' && !world.spec.recovery.evacuateLocal) continue;
    try {
      yield* ports.nova.evacuate(s.uuid, {});
    } catch (err) {
      if (!(err instanceof NovaApiError)) throw err;
      ok = false;
    }
  }
  return ok;
}

function* servicesOr(ports: Ports, host: string): Op<ServiceRecord | undefined | 'error'> {
  try {
    return (yield* ports.nova.services(host))[0];
  } catch (err) {
    if (!(err instanceof NovaApiError)) throw err;
    return 'error';
  }
}

function* evacuateAllOrFail(world: World, ports: Ports, host: string): Op<boolean> {
  try {
    return yield* evacuateAll(world, ports, host);
  } catch (err) {
    if (!(err instanceof NovaApiError)) throw err;
    return false;
  }
}

/**
 * `no-fence`: a Nagios-style monitor polls Nova's service list and evacuates a host as soon as Nova reports it
 * down — without fencing. Unsafe by design: the baseline the checkers must catch.
 */
export class NoFencePolicy extends UnfencedPolicy {
  readonly name = 'no-fence';
  private started = false;

  override clusterStarted(): void {
    if (this.started) return;
    this.started = true;
    this.world.processes.spawn('no-fence-monitor', null, this.monitor(simPorts(this.world, null)));
  }

  private *monitor(ports: Ports): Op<void> {
    const done = new Set<string>();
    for (;;) {
      yield* sleep(this.world.config.monitor.pollIntervalMs);
      for (const h of this.world.hostList) {
        // A failed API call (nova-api-errors) skips the host until the next poll.
        const svc = yield* servicesOr(ports, h.name);
        if (svc === 'error') continue;
        if (!svc || svc.state === 'up') {
          done.delete(h.name);
          continue;
        }
        if (done.has(h.name)) continue;
        ports.log('monitor.host-down', h.name);
        if (yield* evacuateAllOrFail(this.world, ports, h.name)) done.add(h.name);
      }
    }
  }
}

/** `none`: nothing automatic; an operator acts after the response time: power off via the BMC, force down, evacuate. */
export class OperatorPolicy extends UnfencedPolicy {
  readonly name = 'none';
  private readonly handled = new Set<string>();

  override nodeFailed(host: ComputeHost): void {
    if (this.handled.has(host.name)) return;
    this.handled.add(host.name);
    this.world.processes.spawn(`operator:${host.name}`, null, this.operator(simPorts(this.world, null), host));
  }

  private *operator(ports: Ports, host: ComputeHost): Op<void> {
    yield* sleep(this.world.draw('operator', this.world.config.operator.responseTimeMs));
    ports.log('operator.acts', host.name);
    const fenced = yield* ports.power.fence(host.name, 'off');
    if (!fenced.ok) return ports.log('operator.gives-up', host.name, { why: fenced.detail });
    // An operator whose API call fails tries again a minute later.
    for (;;) {
      try {
        yield* ports.nova.forceDown(host.name, true);
        if (yield* evacuateAll(this.world, ports, host.name)) break;
      } catch (err) {
        if (!(err instanceof NovaApiError)) throw err;
      }
      yield* sleep(60_000);
    }
    this.handled.delete(host.name);
  }
}

/** `external`: nothing inside recovers; an agent outside acts through the served APIs. */
export class ExternalPolicy extends UnfencedPolicy {
  readonly name = 'external';
}

export function createPolicy(world: World): RecoveryPolicy {
  switch (world.spec.recovery.policy) {
    case 'instanceha':
      return new InstanceHaPolicy(world);
    case 'notify':
      return new NotifyPolicy(world);
    case 'no-fence':
      return new NoFencePolicy(world);
    case 'none':
      return new OperatorPolicy(world);
    case 'external':
      return new ExternalPolicy(world);
  }
}
