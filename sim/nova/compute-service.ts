import type { ServiceRecord } from './records.js';

/** Heartbeat timing of one nova-compute, from config. */
export interface HeartbeatConfig {
  reportIntervalMs: number;
  firstReportDelayMs: number;
  /** Effective service_down_time (already corrected to 2.5 × report interval where Nova does). */
  serviceDownTimeMs: number;
}

/**
 * A nova-compute service row and its liveness. Heartbeats are not events: while the service reports, its reports
 * fall on the grid `startedAt + firstReportDelay + k × reportInterval`; `lastSeenUp(now)` derives the latest one
 * from that phase, and only a change (service stops, partition, heal) costs anything (README "Model notes": heartbeats and monitors cost nothing while nothing changes).
 */
export class ComputeService {
  status: 'enabled' | 'disabled' = 'enabled';
  disabledReason: string | null = null;
  forcedDown = false;
  updatedAtMs = 0;
  /** How many times nova-compute has started here: work a process took on dies with that process. */
  incarnation = 0;
  /** When nova-compute last started (the phase of its report loop); null while it is not running. */
  private startedAtMs: number | null = null;
  /** Reports reach the database since this time; null while they do not. */
  private reachingSinceMs: number | null = null;
  private storedLastSeenUp: number | null;

  constructor(
    readonly id: number,
    readonly uuid: string,
    readonly host: string,
    readonly zone: string,
    private readonly hb: HeartbeatConfig,
    /** A healthy world at t=0 has reported just now. */
    initiallyUp: boolean,
  ) {
    this.storedLastSeenUp = initiallyUp ? 0 : null;
  }

  /** A service that has been running since before the run began, its report loop at phase `startedAtMs` (≤ 0). */
  bootstrap(startedAtMs: number): void {
    this.startedAtMs = startedAtMs;
    this.reachingSinceMs = startedAtMs;
  }

  get running(): boolean {
    return this.startedAtMs !== null;
  }

  /** Time of the latest successful report at or before `now`. */
  lastSeenUp(now: number): number | null {
    const since = this.reachingSinceMs;
    const start = this.startedAtMs;
    if (since === null || start === null) return this.storedLastSeenUp;
    const first = start + this.hb.firstReportDelayMs;
    if (now < first) return this.storedLastSeenUp;
    const tick = first + Math.floor((now - first) / this.hb.reportIntervalMs) * this.hb.reportIntervalMs;
    if (tick < since) return this.storedLastSeenUp;
    return this.storedLastSeenUp === null ? tick : Math.max(this.storedLastSeenUp, tick);
  }

  /** Nova's servicegroup DB driver: up iff not forced down and the last report is recent enough. */
  isUp(now: number): boolean {
    if (this.forcedDown) return false;
    const seen = this.lastSeenUp(now);
    return seen !== null && now - seen <= this.hb.serviceDownTimeMs;
  }

  /** When a silent service will be seen down (null if it reports, or is down already / forced). */
  downAt(now: number): number | null {
    if (this.reachingSinceMs !== null && this.startedAtMs !== null) return null;
    const seen = this.lastSeenUp(now);
    return seen === null ? null : seen + this.hb.serviceDownTimeMs + 1;
  }

  /** nova-compute process started or stopped at `now`; `reaching`: can it reach the control plane. */
  setRunning(now: number, running: boolean, reaching: boolean): void {
    this.freeze(now);
    if (running && this.startedAtMs === null) this.incarnation++;
    this.startedAtMs = running ? (this.startedAtMs ?? now) : null;
    this.reachingSinceMs = running && reaching ? now : null;
  }

  /** Control-plane reachability changed while running (partition, NIC, hang). */
  setReaching(now: number, reaching: boolean): void {
    if (this.startedAtMs === null) return;
    if (reaching === (this.reachingSinceMs !== null)) return;
    this.freeze(now);
    this.reachingSinceMs = reaching ? now : null;
  }

  private freeze(now: number): void {
    this.storedLastSeenUp = this.lastSeenUp(now);
  }

  record(now: number, binary: ServiceRecord['binary'] = 'nova-compute'): ServiceRecord {
    return {
      id: this.id,
      uuid: this.uuid,
      binary,
      host: this.host,
      zone: this.zone,
      status: this.status,
      disabledReason: this.disabledReason,
      forcedDown: this.forcedDown,
      state: this.isUp(now) ? 'up' : 'down',
      lastSeenUpMs: this.lastSeenUp(now),
      updatedAtMs: Math.max(this.updatedAtMs, this.lastSeenUp(now) ?? 0),
    };
  }
}
