import type { Op } from '../../../kernel/process.js';
import type { DesignPorts } from '../../design-ports.js';
import type { MasakariConfig } from './config.js';
import type { MasakariDb, Notification, NotificationStatus } from './db.js';
import { executeHostFailure, HostRecoveryFailure, SkipHostRecovery, type FlowContext } from './host-failure.js';
import { NamedLocks, withLock } from './mutex.js';

/**
 * One masakari-engine service (engine/manager.py `MasakariManager`). Its per-host lock (`utils.synchronized(
 * source_host_uuid, blocking=True)`) is an oslo lockutils internal lock: it serializes notifications of one host
 * within this process only.
 */
export class Engine {
  private readonly locks = new NamedLocks();
  private readonly ctx: FlowContext;

  constructor(
    private readonly ports: DesignPorts,
    private readonly config: MasakariConfig['engine'],
    private readonly db: MasakariDb,
    readonly name: string,
  ) {
    this.ctx = { ports, config, db, locks: this.locks };
  }

  /**
   * `process_notification` (the RPC cast): a disabled segment → `ignored`
   * (`FailoverSegmentDisabled`); else `_process_notification` with the status the cast carried.
   */
  *processNotification(n: Notification, castStatus: NotificationStatus): Op<void> {
    const host = this.db.hosts.get(n.hostname)!;
    if (!host.segment.enabled) {
      n.status = 'ignored';
      return this.ports.log('masakari.notification.ignored', n.hostname, { uuid: n.uuid, why: 'Recovery aboart: the segment HA is disabled.' });
    }
    yield* this.processUnderLock(n, castStatus);
  }

  /**
   * `_process_notification`: under the host's lock, skip a notification that was `new` when cast but is no longer
   * `new` in the DB (the LP#1773132 fix); else `running`, handle, and store the outcome.
   */
  *processUnderLock(n: Notification, castStatus: NotificationStatus): Op<void> {
    yield* withLock(this.locks.get(`masakari-${n.hostname}`), () => this.process(n, castStatus));
  }

  private *process(n: Notification, castStatus: NotificationStatus): Op<void> {
    if (castStatus === 'new' && n.status !== 'new') {
      return this.ports.log('masakari.notification.skipped', n.hostname, { uuid: n.uuid, status: n.status, engine: this.name });
    }
    n.status = 'running';
    this.ports.log('masakari.notification.running', n.hostname, { uuid: n.uuid, engine: this.name });
    n.status = yield* this.handleHost(n);
    this.ports.log(`masakari.notification.${n.status}`, n.hostname, { uuid: n.uuid, engine: this.name });
  }

  /**
   * `_handle_notification_type_host`: host_status not NORMAL → `ignored`, for good (nothing resends it: the
   * monitor reports state changes only; defect `masakari-evacuate-unknown` is the engine before that check); STARTED → finished; STOPPED → host `on_maintenance`, `reserved` cleared,
   * then the segment's recovery method.
   */
  private *handleHost(n: Notification): Op<NotificationStatus> {
    if (n.payload.hostStatus !== 'NORMAL' && !this.ports.hasDefect('masakari-evacuate-unknown')) return 'ignored';
    if (n.payload.event === 'STARTED') return 'finished';
    const host = this.db.hosts.get(n.hostname)!;
    host.onMaintenance = true;
    host.reserved = false;
    const method = host.segment.recoveryMethod;
    const reserved = method === 'auto' ? [] : this.db.reservedHostsOf(host.segment);
    try {
      yield* executeHostFailure(this.ctx, n, method, reserved);
      return 'finished';
    } catch (err) {
      if (err instanceof SkipHostRecovery) return 'finished';
      if (err instanceof HostRecoveryFailure) {
        this.ports.log('masakari.flow.failed', n.hostname, { uuid: n.uuid, why: err.message });
        return 'error';
      }
      throw err;
    }
  }

  /**
   * `_process_unfinished_notifications` (every `process_unfinished_notifications_interval`): `error` ones, and `new`
   * ones older than `retry_notification_new_status_interval`, are processed again — once: still `error` after that
   * → `failed`.
   */
  *processUnfinished(): Op<void> {
    const now = this.ports.clock.now();
    const list = this.db.notifications.filter((n) => n.status === 'error' || n.status === 'new');
    for (const n of list) {
      if (n.status === 'error' || (n.status === 'new' && now - n.generatedAtMs > this.config.retryNewIntervalMs)) {
        this.ports.log('masakari.notification.retry', n.hostname, { uuid: n.uuid, status: n.status, engine: this.name });
        yield* this.processUnderLock(n, n.status);
      }
      if (n.status === 'error') {
        n.status = 'failed';
        this.ports.log('masakari.notification.failed', n.hostname, { uuid: n.uuid, engine: this.name });
      }
    }
  }

  /** `_check_expired_notifications`: running, error or new notifications generated over 24 h ago → `failed`. */
  checkExpired(): void {
    const now = this.ports.clock.now();
    for (const n of this.db.notifications) {
      if ((n.status === 'running' || n.status === 'error' || n.status === 'new') && now - n.generatedAtMs > this.config.expiredMs) {
        n.status = 'failed';
        this.ports.log('masakari.notification.expired', n.hostname, { uuid: n.uuid });
      }
    }
  }

  /**
   * The service's periodic tasks (oslo_service `periodic_task`, not run immediately): one loop, so a retry that
   * runs a whole flow delays the next task. `phaseMs`: when this service started, within one spacing.
   */
  *periodicTasks(phaseMs: number): Op<void> {
    const c = this.config;
    let nextUnfinished = phaseMs + c.processUnfinishedIntervalMs;
    let nextExpired = phaseMs + c.checkExpiredIntervalMs;
    for (;;) {
      const wake = Math.min(nextUnfinished, nextExpired);
      const now = this.ports.clock.now();
      if (wake > now) yield* this.ports.clock.sleep(wake - now);
      if (this.ports.clock.now() >= nextUnfinished) {
        yield* this.processUnfinished();
        nextUnfinished = this.ports.clock.now() + c.processUnfinishedIntervalMs;
      }
      if (this.ports.clock.now() >= nextExpired) {
        this.checkExpired();
        nextExpired = this.ports.clock.now() + c.checkExpiredIntervalMs;
      }
    }
  }
}
