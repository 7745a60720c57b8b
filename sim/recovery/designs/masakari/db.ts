import type { MasakariConfig, SegmentConfig } from './config.js';
import { segmentMembers } from './config.js';

/** masakari/objects/fields.py `NotificationStatus`. */
export type NotificationStatus = 'new' | 'running' | 'error' | 'failed' | 'ignored' | 'finished';
export type HostStatus = 'NORMAL' | 'UNKNOWN';

export interface NotificationPayload {
  event: 'STOPPED' | 'STARTED';
  clusterStatus: 'OFFLINE' | 'ONLINE';
  hostStatus: HostStatus;
}

/** A row of Masakari's `notifications` table (type COMPUTE_HOST only: the host monitor's). */
export interface Notification {
  uuid: string;
  hostname: string;
  generatedAtMs: number;
  createdAtMs: number;
  payload: NotificationPayload;
  status: NotificationStatus;
  /** Any of its vmoves failed (`VMoveList.get_all_vmoves(notification_uuid)` keeps every run's rows). */
  vmoveFailed: boolean;
}

/** A row of `hosts`: a member of a failover segment. */
export interface MasakariHost {
  name: string;
  segment: SegmentConfig;
  reserved: boolean;
  onMaintenance: boolean;
}

/** Masakari's database as the API and the engines share it. */
export class MasakariDb {
  readonly hosts = new Map<string, MasakariHost>();
  readonly notifications: Notification[] = [];
  private seq = 0;

  constructor(config: MasakariConfig, computes: readonly string[]) {
    for (const { segment, hosts } of segmentMembers(config, computes)) {
      for (const name of hosts) this.hosts.set(name, { name, segment, reserved: false, onMaintenance: false });
      for (const name of segment.reservedHosts) this.hosts.set(name, { name, segment, reserved: true, onMaintenance: false });
    }
  }

  insert(hostname: string, generatedAtMs: number, payload: NotificationPayload, nowMs: number): Notification {
    const n: Notification = {
      uuid: `notification-${++this.seq}`, hostname, generatedAtMs, createdAtMs: nowMs, payload, status: 'new', vmoveFailed: false,
    };
    this.notifications.push(n);
    return n;
  }

  /**
   * ha/api.py `NotificationAPI._is_duplicate_notification`: same type and host, generated since `generated_time -
   * duplicate_notification_detection_interval`, and the same payload.
   */
  isDuplicate(hostname: string, generatedAtMs: number, payload: NotificationPayload, intervalMs: number): boolean {
    return this.notifications.some((n) => n.hostname === hostname && n.generatedAtMs >= generatedAtMs - intervalMs &&
      n.payload.event === payload.event && n.payload.clusterStatus === payload.clusterStatus &&
      n.payload.hostStatus === payload.hostStatus);
  }

  /** Reserved hosts of a segment not on maintenance (engine/manager.py `_handle_notification_type_host`). */
  reservedHostsOf(segment: SegmentConfig): string[] {
    return [...this.hosts.values()].filter((h) => h.segment === segment && h.reserved && !h.onMaintenance).map((h) => h.name);
  }
}
