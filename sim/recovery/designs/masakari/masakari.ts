import type { Op } from '../../../kernel/process.js';
import type { DesignPorts } from '../../design-ports.js';
import type { RecoveryDesign } from '../../design.js';
import { NotificationApi } from './api.js';
import type { MasakariConfig } from './config.js';
import { MasakariDb, type Notification } from './db.js';
import { Engine } from './engine.js';
import { HostMonitor } from './host-monitor.js';

/**
 * Masakari as deployed with Pacemaker: a host monitor on every compute (masakari-monitors hostmonitor), the
 * masakari-api and `engines` masakari-engine services. Masakari never fences and has no `nodeFailed`: Pacemaker's
 * STONITH fences an unclean node with the power device only (`capabilities.pacemakerFencing: power`), and the
 * monitor asks the BMC whether the node is off before it reports it. The API and the
 * engines run outside the cluster (`external`): they neither need quorum nor die with a controller here.
 */
export class MasakariDesign implements RecoveryDesign {
  readonly db: MasakariDb;
  readonly api: NotificationApi;
  readonly engines: Engine[];
  private castCount = -1;

  constructor(private readonly ports: DesignPorts, private readonly config: MasakariConfig) {
    this.db = new MasakariDb(config, ports.lifecycle.hosts());
    this.engines = Array.from({ length: config.engine.engines }, (_, i) => new Engine(ports, config.engine, this.db, `masakari-engine-${i + 1}`));
    this.api = new NotificationApi(ports, config.api, this.db, (n) => this.cast(n));
  }

  start(): void {
    const spacing = this.config.engine.processUnfinishedIntervalMs;
    for (const e of this.engines) this.ports.spawn(`${e.name}:periodic`, 'external', e.periodicTasks(this.ports.random.uniform(0, spacing - 1)));
    for (const host of this.ports.lifecycle.hosts()) this.startMonitor(host, this.ports.random.uniform(0, this.config.monitor.startSpreadMs));
    if (this.config.monitor.onControllers) this.ports.spawn('masakari-hostmonitor:controllers', 'external', this.startControllerMonitors());
  }

  /**
   * `monitorOnControllers`: a host monitor on every full cluster member too. The controllers are the view's
   * non-remote nodes; their monitors run outside the design's reach of a controller's death (`external`), and a
   * controller that is down or cut off answers no `crm_mon`, so its monitor only skips.
   */
  private *startControllerMonitors(): Op<void> {
    const computes = this.ports.lifecycle.hosts();
    for (;;) {
      const view = yield* this.ports.cluster!.view(computes[0]!);
      if (view.reachable) {
        for (const n of view.nodes.filter((x) => !x.remote)) {
          const monitor = new HostMonitor(this.ports, this.config.monitor, n.name, (h, t, p) => this.api.create(h, t, p), true);
          this.ports.spawn(`masakari-hostmonitor:${n.name}`, 'external', delayed(this.ports, this.ports.random.uniform(0, this.config.monitor.startSpreadMs), monitor.run()));
        }
        return;
      }
      yield* this.ports.clock.sleep(this.config.monitor.intervalMs);
    }
  }

  /**
   * Masakari leaves a recovered host `on_maintenance` (and its nova-compute disabled) until an operator clears it
   * (engine/manager.py `_handle_notification_type_host`); a notification that ended `error` or `failed` needs a
   * human too.
   */
  openActions(): string[] {
    const out: string[] = [];
    for (const h of this.db.hosts.values()) {
      if (h.onMaintenance) out.push(`${h.name}: masakari left it on_maintenance: \`openstack segment host update --on_maintenance False\``);
    }
    for (const n of this.db.notifications) {
      if (n.status === 'error' || n.status === 'failed') out.push(`${n.hostname}: masakari notification ${n.uuid} ended ${n.status}: recover its instances by hand`);
    }
    return out;
  }

  /** Nothing holds nova-compute back (no unfencing step); the host's monitor starts again with the host. */
  hostBooted(host: string): void {
    this.ports.lifecycle.releaseNovaCompute(host);
    this.startMonitor(host, 0);
  }

  private startMonitor(host: string, delayMs: number): void {
    const name = `masakari-hostmonitor:${host}`;
    if (this.ports.running(name) > 0) return;
    const monitor = new HostMonitor(this.ports, this.config.monitor, host, (h, t, p) => this.api.create(h, t, p));
    this.ports.spawn(name, { host }, delayed(this.ports, delayMs, monitor.run()));
  }

  /**
   * engine/rpcapi.py `EngineAPI.process_notification`: a cast to the engines' shared topic queue, which RabbitMQ
   * hands to its consumers in turn.
   */
  private cast(n: Notification): void {
    if (this.castCount < 0) this.castCount = this.ports.random.uniform(0, this.engines.length - 1);
    const engine = this.engines[this.castCount++ % this.engines.length]!;
    this.ports.spawn(`${engine.name}:${n.uuid}`, 'external', engine.processNotification(n, 'new'));
  }
}

function* delayed(ports: DesignPorts, ms: number, op: Op<void>): Op<void> {
  if (ms > 0) yield* ports.clock.sleep(ms);
  yield* op;
}
