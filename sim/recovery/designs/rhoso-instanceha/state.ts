import type { ServiceRecord } from '../../../nova/records.js';

/**
 * What the poller pod keeps in memory (InstanceHAService attributes). All of it is lost when the pod restarts:
 * a new pod starts from Nova's markers only (`_reconcile_orphaned_hosts`, resume candidates).
 */
export class PollerState {
  /** `hosts_processing`: host → time it was marked (entries expire, see `_filter_processing_hosts`). */
  readonly processing = new Map<string, number>();
  /** `kdump_hosts_checking`: host → when the wait for its kdump message began. */
  readonly kdumpChecking = new Map<string, number>();
  /** `kdump_fenced_hosts`. */
  readonly kdumpFenced = new Set<string>();
  /** `heartbeat_previous_active_count`, `heartbeat_consecutive_cliff_cycles`. */
  heartbeatPreviousActive = 0;
  heartbeatCliffCycles = 0;
  /** `processing_executor`: hosts waiting for a worker, and workers busy. */
  readonly queue: { service: ServiceRecord; resume: boolean; reserved: ServiceRecord[] }[] = [];
  busyWorkers = 0;
  constructor(readonly startedAtMs: number) {}
}
