import type { Op } from '../../../kernel/process.js';
import type { DesignPorts } from '../../design-ports.js';
import type { MasakariConfig } from './config.js';
import type { MasakariDb, Notification, NotificationPayload } from './db.js';
import { NamedLocks, withLock } from './mutex.js';

/** What the API answered a host monitor's POST /notifications with. */
export type ApiReply = { status: 202; notification: Notification } | { status: 400 | 409; message: string };

/** What the API hands a created notification to: engine/rpcapi.py `EngineAPI.process_notification` (a cast). */
export type EngineCast = (n: Notification) => void;

/**
 * masakari-api's `NotificationAPI` (masakari/ha/api.py) for COMPUTE_HOST notifications. Every request runs as its
 * own process (API workers serve requests in parallel).
 */
export class NotificationApi {
  /** tooz locks by name: one lock service for every API worker. */
  private readonly toozLocks = new NamedLocks();

  constructor(
    private readonly ports: DesignPorts,
    private readonly config: MasakariConfig['api'],
    private readonly db: MasakariDb,
    private readonly cast: EngineCast,
  ) {}

  private coordinated(): boolean {
    return this.config.coordinationBackend === 'tooz';
  }

  /**
   * `create_notification`: without `[coordination] backend_url` a random 0–`notification_delay_max` sleep, and the
   * `@synchronized('create_host_notification-{hostname}')` of `_create_host_type_notification` is a no-op
   * (masakari/coordination.py `Coordinator.get_lock` returns None): two workers may both pass the duplicate check.
   */
  *create(hostname: string, generatedAtMs: number, payload: NotificationPayload): Op<ApiReply> {
    if (!this.coordinated()) {
      if (this.config.notificationDelayMaxMs > 0) yield* this.ports.clock.sleep(this.ports.random.uniform(0, this.config.notificationDelayMaxMs));
      return yield* this.createNotification(hostname, generatedAtMs, payload);
    }
    return yield* withLock(this.toozLocks.get(`create_host_notification-${hostname}`),
      () => this.createNotification(hostname, generatedAtMs, payload));
  }

  /**
   * `_create_notification`: 400 for a host in no segment (`Host.get_by_name`), 409 `HostOnMaintenanceError`, 409
   * `DuplicateNotification` (`_is_duplicate_notification`); else the row is inserted and cast to an engine. The
   * duplicate check reads, and the insert comes `checkToInsertMs` later: the race window of LP#1961110.
   */
  private *createNotification(hostname: string, generatedAtMs: number, payload: NotificationPayload): Op<ApiReply> {
    const host = this.db.hosts.get(hostname);
    if (!host) return { status: 400, message: `Host with name ${hostname} could not be found.` };
    if (host.onMaintenance) {
      return { status: 409, message: `Notification received from host ${hostname} of type 'COMPUTE_HOST' is ignored as the host is already under maintenance.` };
    }
    if (this.db.isDuplicate(hostname, generatedAtMs, payload, this.config.duplicateIntervalMs)) {
      return { status: 409, message: `Notification received from host ${hostname} of type COMPUTE_HOST is duplicate.` };
    }
    if (this.config.checkToInsertMs > 0) yield* this.ports.clock.sleep(this.config.checkToInsertMs);
    const n = this.db.insert(hostname, generatedAtMs, payload, this.ports.clock.now());
    this.ports.log('masakari.notification.created', hostname, { uuid: n.uuid, hostStatus: payload.hostStatus, event: payload.event });
    this.cast(n);
    return { status: 202, notification: n };
  }
}
