/** The milestones of one host failure, as the metrics break recovery down (docs/model.md "Outage and phases"). */
export interface HostIncident {
  host: string;
  faultKind: string;
  faultAtMs: number;
  detectedAtMs: number | null;
  fenceConfirmedAtMs: number | null;
  /** When Nova started treating the host as down (forced down, or heartbeat expired). */
  markedDownAtMs: number | null;
  fenceAttempts: number;
  fenceFailures: number;
  /** Fenced while its OS ran and its guests executed: the fence itself caused the outage. */
  falseFence: boolean;
  closedAtMs: number | null;
}

/** Open and past incidents, per host. */
export class Incidents {
  private readonly open = new Map<string, HostIncident>();
  readonly all: HostIncident[] = [];

  /** A fault hit `host`: open an incident unless one is already open. */
  fault(host: string, kind: string, now: number): HostIncident {
    const current = this.open.get(host);
    if (current) return current;
    const inc: HostIncident = {
      host, faultKind: kind, faultAtMs: now, detectedAtMs: null, fenceConfirmedAtMs: null, markedDownAtMs: null,
      fenceAttempts: 0, fenceFailures: 0, falseFence: false, closedAtMs: null,
    };
    this.open.set(host, inc);
    this.all.push(inc);
    return inc;
  }

  /** The open incident of `host`, opening one (kind `unexplained`) if a milestone arrives without a fault. */
  of(host: string, now: number): HostIncident {
    return this.open.get(host) ?? this.fault(host, 'unexplained', now);
  }

  current(host: string): HostIncident | undefined {
    return this.open.get(host);
  }

  close(host: string, now: number): void {
    const inc = this.open.get(host);
    if (!inc) return;
    inc.closedAtMs = now;
    this.open.delete(host);
  }
}
