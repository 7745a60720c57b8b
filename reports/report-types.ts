/**
 * The JSON report, version 1 (`ihasim: 1`). Data first: JUnit, Markdown and HTML are rendered from it.
 * Its JSON Schema is `reports/report.schema.json`. All times are simulated milliseconds since the run start.
 */
export interface RunReport {
  ihasim: 1;
  kind: 'run';
  scenario: string;
  /** The scenario file, for replay commands. */
  file?: string;
  seed: number;
  verdict: 'pass' | 'fail';
  exitCode: 0 | 1 | 2;
  /** Why the verdict is fail, one line each (violations, missing expected violations, liveness). */
  failures: string[];
  /** The exact command that replays this run. */
  replay: string;
  policy: string;
  durationMs: number;
  violations: Violation[];
  /** Expected violations (expect.violations) that were found / not found. */
  expectedViolations: { name: string; found: boolean }[];
  instances: InstanceOutcome[];
  metrics: RunMetrics;
  /** The notable events (the timeline); the full trace goes to --trace. */
  events: TimelineEvent[];
}

export interface Violation {
  invariant: string;
  kind: 'safety' | 'liveness';
  atMs: number;
  entities: string[];
  message: string;
}

export type Outcome = 'unaffected' | 'recovered' | 'recovered-data-lost' | 'not-recovered' | 'self-healed' | 'never-placed';

export interface InstanceOutcome {
  name: string;
  uuid: string;
  outcome: Outcome;
  /** For not-recovered: exactly one reason (no-capacity, fencing-impossible, not-opted-in, local-disk-policy, policy-no-evacuation, still-recovering, stopped-by-watchdog, ...). */
  reason: string | null;
  /** Host it ran on when it failed, and where it runs at the end. */
  fromHost: string | null;
  toHost: string | null;
  failedAtMs: number | null;
  recoveredAtMs: number | null;
  downtimeMs: number | null;
  /** How long its users could not reach it: downtime if it came back, else until the end of the run (null: never down). */
  outageMs: number | null;
  /** What stopped it serving (host-off, host-hung, guest-panicked, tenant-network-cut, storage-unreachable, …). */
  outageCause: string | null;
  phases: Phases | null;
}

/**
 * The critical path of one recovery, within the outage: each phase runs from the previous milestone (or the moment
 * the instance stopped serving, if later) to its own, so the phases add up to the downtime.
 */
export interface Phases {
  detectMs: number | null;
  fenceMs: number | null;
  markDownMs: number | null;
  evacuateMs: number | null;
  bootMs: number | null;
}

export interface RunMetrics {
  recovery: { count: number; p50Ms: number | null; p95Ms: number | null; p99Ms: number | null; maxMs: number | null; meanMs: number | null };
  /** Theoretical floor of downtime: detection + fencing + guest boot, from the configured defaults. */
  floorMs: number;
  /** Instances in the scenario; `instances` lists only the affected ones (failed or evacuated). */
  instancesTotal: number;
  instancesAffected: number;
  instancesLost: number;
  /** Servers no host could take at start (Nova's NoValidHost at boot): they never ran. */
  instancesNeverPlaced: number;
  dataLost: number;
  falseFences: number;
  resetLoops: number;
  evacuations: number;
  events: number;
}

export interface TimelineEvent {
  atMs: number;
  type: string;
  entity: string;
  message: string;
}

/** `--seeds N`: the aggregate over seeds, each run listed. */
export interface MultiRunReport {
  ihasim: 1;
  kind: 'multi';
  scenario: string;
  file?: string;
  seeds: number[];
  verdict: 'pass' | 'fail';
  exitCode: 0 | 1 | 2;
  failures: string[];
  metrics: {
    runs: number;
    failedRuns: number;
    recovery: RunMetrics['recovery'];
    instancesLost: number;
    dataLost: number;
    falseFences: number;
    violationsByInvariant: Record<string, number>;
  };
  runs: RunReport[];
}

export type Report = RunReport | MultiRunReport;
