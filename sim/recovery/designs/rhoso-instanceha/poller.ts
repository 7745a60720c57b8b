import type { Op } from '../../../kernel/process.js';
import type { ServiceRecord } from '../../../nova/records.js';
import type { DesignPorts } from '../../design-ports.js';
import type { RecoveryDesign } from '../../design.js';
import { admit, type UdpPort } from './admit.js';
import { categorize, disableReason, REASON } from './classify.js';
import type { RhosoConfig } from './config.js';
import { processService, type HostContext } from './host.js';
import { isApiError } from './pool.js';
import { processReenabling } from './reenable.js';
import { PollerState } from './state.js';

/** `MAX_NOVA_BACKOFF_SECONDS`. */
const MAX_BACKOFF_MS = 300_000;
export const POLLER = 'rhoso-instanceha:poller';

/** The ports, plus the pod's optional UDP listeners (kdump, heartbeats) when the world provides them. */
export type RhosoPorts = DesignPorts & { udp?: UdpPort };

/**
 * RHOSO InstanceHA: one poller in a Kubernetes pod (place `external`), outside any Pacemaker cluster. It reads Nova's
 * service list every POLL, fences failed computes through their BMCs itself, evacuates them, powers them back on and
 * re-enables them (openstack-k8s-operators/infra-operator `templates/instanceha/bin/instanceha.py` `main`).
 */
export class RhosoInstanceHa implements RecoveryDesign {
  /** The running pod's memory; a restart (`start()` again) begins with an empty one. */
  state: PollerState | null = null;

  constructor(private readonly ports: RhosoPorts, private readonly config: RhosoConfig) {}

  start(): void {
    if (this.ports.running(POLLER) > 0) return;
    this.state = new PollerState(this.ports.clock.now());
    this.ports.spawn(POLLER, 'external', this.main(this.ctx()));
  }

  /** No Pacemaker and no unfencing: nova-compute starts at boot (a plain systemd unit on an EDPM node). */
  hostBooted(host: string): void {
    this.ports.lifecycle.releaseNovaCompute(host);
  }

  private ctx(): HostContext {
    return { ports: this.ports, config: this.config, state: this.state as PollerState };
  }

  /** `main`: reconcile, then poll for ever; a Nova error backs off min(POLL·2ⁿ, 300 s). */
  private *main(ctx: HostContext): Op<void> {
    const { ports, config } = ctx;
    yield* reconcileOrphanedHosts(ctx);
    let failures = 0;
    for (;;) {
      try {
        yield* this.cycle(ctx);
        failures = 0;
      } catch (err) {
        if (!isApiError(err)) throw err;
        failures++;
        const backoff = Math.min(config.pollMs * 2 ** failures, MAX_BACKOFF_MS);
        ports.log('rhoso.poll.failed', 'poller', { failures, backoffMs: backoff, message: (err as Error).message });
        yield* ports.clock.sleep(backoff);
        continue;
      }
      yield* ports.clock.sleep(config.pollMs);
    }
  }

  /** One poll cycle: categorise, admit failures and resumes, re-enable recovered hosts. */
  private *cycle(ctx: HostContext): Op<void> {
    const { ports, config } = ctx;
    const services = yield* ports.nova.services({ binary: 'nova-compute' });
    if (services.length === 0) return;
    const { candidates, resume, reenable } = categorize(services, ports.clock.now() - config.deltaMs);
    yield* admit(ctx, this.ports.udp, services, candidates, resume, (s, isResume, reserved) => this.submit(ctx, s, isResume, reserved));
    yield* processReenabling(ctx, this.ports.udp, reenable);
  }

  /** `processing_executor.submit(process_service, …)`: a pool of WORKERS. */
  private submit(ctx: HostContext, service: ServiceRecord, resume: boolean, reserved: ServiceRecord[]): void {
    ctx.state.queue.push({ service, resume, reserved });
    if (ctx.state.busyWorkers >= ctx.config.workers) return;
    ctx.state.busyWorkers++;
    this.ports.spawn(`rhoso-instanceha:worker`, 'external', this.worker(ctx));
  }

  private *worker(ctx: HostContext): Op<void> {
    for (let job = ctx.state.queue.shift(); job; job = ctx.state.queue.shift()) {
      try {
        yield* processService(ctx, job.service, job.resume, job.reserved);
      } finally {
        // `track_host_processing`: the host may be taken again by a later cycle.
        ctx.state.processing.delete(job.service.host);
      }
    }
    ctx.state.busyWorkers--;
  }
}

/**
 * `_reconcile_orphaned_hosts` at start-up: a host forced down and down but not disabled (the pod died between
 * force-down and disable) is disabled with `instanceha evacuation (recovered)`, so that it is resumed.
 * (Upstream also unlocks servers locked with reason `instanceha-evacuation`; Nova's records here carry no lock
 * reason, so that part is not modelled.)
 */
function* reconcileOrphanedHosts(ctx: HostContext): Op<void> {
  const { ports } = ctx;
  let services: ServiceRecord[];
  try {
    services = yield* ports.nova.services({ binary: 'nova-compute' });
  } catch (err) {
    if (!isApiError(err)) throw err;
    return;
  }
  for (const s of services) {
    if (!(s.forcedDown && s.state === 'down') || s.status === 'disabled') continue;
    try {
      yield* ports.nova.disable(s.host, disableReason(REASON.evacuation, ports.clock.now(), ' (recovered)'));
      ports.log('rhoso.reconcile.orphan', s.host);
    } catch (err) {
      if (!isApiError(err)) throw err;
    }
  }
}
