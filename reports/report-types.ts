/**
 * The JSON report, version 1 (`ihasim: 1`). Data first: JUnit, Markdown and HTML are rendered from it.
 * Its JSON Schema is `reports/report.schema.json`. All times are simulated milliseconds since the run start.
 */
export interface RunReport extends ReportProvenance {
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
  /**
   * Invariants the history could not judge (a live history lacks what they need), with why. Absent when every
   * invariant was judged. Never a pass: the verdict is fail (exit 2) unless something worse failed.
   */
  unknown?: { invariant: string; why: string }[];
}

/** What a result needs to be reproduced later, by this or another ihasim version. */
export interface ReportProvenance {
  /** The ihasim version (package.json's) that produced the report. */
  ihasimVersion: string;
  /**
   * sha256 (hex) of the scenario's data as written and validated, keys sorted, without its name, description, path
   * and provenance: see `scenarioHash` in harness/version.ts. Comments and whitespace do not change it.
   */
  scenarioHash: string;
  /** The scenario's `provenance:` block, when it has one (a counterexample written by `ihasim check`). */
  scenarioProvenance?: ScenarioProvenance;
  /** Warnings about the run's reproducibility, one line each (a scenario written by another ihasim version). */
  warnings?: string[];
}

/** A scenario's `provenance:` block: who wrote it and from what. The simulation ignores it. */
export interface ScenarioProvenance {
  /** The ihasim version that wrote the scenario. */
  ihasim: string;
  /** The scenario hash of the scenario it was derived from (the one `ihasim check` searched). */
  scenarioHash: string;
  /** `ihasim check --seed` of the search that found it. */
  seed: number;
  /** `ihasim check --path` that replays that search's counterexample. */
  path: string;
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
  /**
   * How long its users could not reach it, all outages together (an instance can serve again and stop again: a
   * host back from a switch failure, then fenced). null: never down.
   */
  outageMs: number | null;
  /** How many separate outages; failedAtMs, recoveredAtMs, downtimeMs and phases describe the latest. */
  outages: number;
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

/**
 * `--seeds N`: the aggregate over seeds. Its size does not grow with N: per-run detail is kept only for the
 * first failed runs and the worst ones (`--runs-jsonl FILE` streams every run, one line each).
 */
export interface MultiRunReport extends ReportProvenance {
  ihasim: 1;
  kind: 'multi';
  scenario: string;
  file?: string;
  /** The scenario's `expect.recoveryBound` (the SLO line of the charts), or null. */
  recoveryBoundMs: number | null;
  /** The seeds run: first, first+1, …, last. */
  seeds: { first: number; last: number; count: number };
  verdict: 'pass' | 'fail';
  exitCode: 0 | 1 | 2;
  /** One line per failed run (`seed 7: … — replay: …`), the first `MAX_LISTED_RUNS`; `failuresOmitted` more. */
  failures: string[];
  failuresOmitted: number;
  metrics: {
    runs: number;
    failedRuns: number;
    /** Exact, over every recovered instance of every run. */
    recovery: RunMetrics['recovery'];
    instancesLost: number;
    dataLost: number;
    falseFences: number;
    /** Runs that violated each invariant (a run counts once per invariant). */
    violationsByInvariant: Record<string, number>;
    /** Simulated time, summed over runs. */
    simulatedMs: number;
    /** The downtime at every whole percentile p0..p100 (nearest rank, 101 values; empty when nothing recovered). */
    downtimePercentilesMs: number[];
  };
  /** The failed runs in seed order, the first `MAX_LISTED_RUNS`; `failedRunsOmitted` more. */
  failedRuns: RunSummary[];
  failedRunsOmitted: number;
  /** The runs with the longest downtime (`recovery.maxMs`), longest first; ties go to the lower seed. */
  worstRuns: RunSummary[];
  /** Where every run's full report was written, one JSON line per seed (`--runs-jsonl`). */
  runsJsonl?: string;
}

/** One run of a multi-run report, in brief. */
export interface RunSummary {
  seed: number;
  verdict: 'pass' | 'fail';
  exitCode: 0 | 1 | 2;
  /** The run's first failure lines (at most 3). */
  failures: string[];
  /** Violations of each invariant in this run. */
  violations: Record<string, number>;
  recovery: RunMetrics['recovery'];
  instancesLost: number;
  dataLost: number;
  falseFences: number;
  durationMs: number;
  replay: string;
}

export type Report = RunReport | MultiRunReport;
