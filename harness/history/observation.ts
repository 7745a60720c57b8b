/**
 * The history of a run: a typed, time-ordered list of observations (harness/history/HISTORY.md). The simulator
 * records it from its truth; `ihasim inject` records it from what a live cloud lets it see. The invariant
 * checkers (harness/history/checkers) are pure functions of a history, so a saved history is judged again by
 * `ihasim judge` with the same verdicts.
 *
 * Version 1. Changes are additive only: new observation kinds and new optional fields. A reader skips a kind it
 * does not know (a newer writer), so old judges still read new histories.
 */

export const HISTORY_VERSION = 1;

/**
 * Who saw it, which says what a checker may conclude from it:
 * - `truth`: the simulator's own state (exact, instantaneous; never available in a live run);
 * - `nova`: what Nova's API answered (a view, it lags the truth);
 * - `bmc`: what a BMC answered (IPMI/Redfish power status);
 * - `canary`: a heartbeat a guest agent sent from inside an instance (the instance really ran then);
 * - `virsh`: `virsh list` on a hypervisor over SSH (a domain existed there then);
 * - `harness`: the harness itself (faults it injected, the run's header and end).
 */
export type ObservationSource = 'truth' | 'nova' | 'bmc' | 'canary' | 'virsh' | 'harness';

/** Fields every observation has. `t` is ms since the run began (simulated time in `run`, wall time in `inject`). */
export interface ObservationBase {
  t: number;
  source: ObservationSource;
}

/** How `no-double-run` is judged from heartbeats: two boot ids of one instance heard within this window. */
export interface HeartbeatRule {
  intervalMs: number;
  /** Default 2 × intervalMs. */
  windowMs?: number;
}

/** The first line of every history: what is judged, and against what. */
export interface HeaderObservation extends ObservationBase {
  kind: 'header';
  source: 'harness';
  /** The history format version ({@link HISTORY_VERSION}). */
  history: number;
  /** `run` (the simulator) or `inject` (a live cloud). */
  mode: 'run' | 'inject';
  scenario: string;
  seed?: number;
  /** Invariants the scenario's expect (or the campaign's) judges. */
  judged: string[];
  /** Invariants that MUST be found violated (expect.violations). */
  expectedViolations: string[];
  /** Reasons an instance may stay down without breaking recovery-bounded (after defects took theirs away). */
  allowedReasons: string[];
  recoveryBoundMs?: number;
  recoveryBoundFrom?: 'failure' | 'heal';
  /** When the last fault heals (planned), and the settle time after it before liveness is judged. */
  healedAtMs: number;
  settleMs: number;
  /** How long a controller in a minority may still finish what it started (corosync's token + consensus). */
  membershipLagMs?: number;
  /** Each instance by name: whether the scenario opts it in to recovery, and its uuid when known. */
  instances: { name: string; uuid?: string; eligible: boolean; storage?: string }[];
  /** The policy's instance filter, as the scenario writes it (for messages). */
  filter: string;
  heartbeat?: HeartbeatRule;
  /** Anything else the writer wants reports to carry (the simulator puts the report's provenance here). */
  meta?: Record<string, unknown>;
}

export interface FaultObservation extends ObservationBase {
  kind: 'fault';
  phase: 'injected' | 'healed';
  /** Unique within the run; `healed` names the `injected` it ends. */
  id: string;
  fault: string;
  targets: string[];
}

/** A domain of an instance started or stopped on a host. */
export interface DomainObservation extends ObservationBase {
  kind: 'domain';
  phase: 'started' | 'stopped';
  instance: string;
  host: string;
  /** The guest's boot id (a fresh one each time the domain boots), when known. */
  bootId?: string;
}

/**
 * Where an instance executes now (truth only): every host with an executing domain. Written when the set changes
 * while the instance has more than one domain, so an ordinary run stays short.
 */
export interface ExecutingObservation extends ObservationBase {
  kind: 'executing';
  source: 'truth';
  instance: string;
  hosts: string[];
}

/** Who writes an instance's disk now (truth only): every host whose domain can do I/O to it. */
export interface WritersObservation extends ObservationBase {
  kind: 'writers';
  source: 'truth';
  instance: string;
  storage: string;
  hosts: string[];
}

/** A heartbeat from inside an instance (a canary agent): it ran at `t`, on `host`, in boot `bootId`. */
export interface HeartbeatObservation extends ObservationBase {
  kind: 'heartbeat';
  source: 'canary';
  instance: string;
  bootId: string;
  host?: string;
}

/** Whether users could reach an instance, as it changed (truth: the simulator; canary: heartbeats resumed/stopped). */
export interface ServingObservation extends ObservationBase {
  kind: 'serving';
  instance: string;
  serving: boolean;
  /** Why it stopped serving (host-off, guest-panicked, …) when known. */
  cause?: string;
  host?: string;
}

/** What Nova says of a server. */
export interface NovaServerObservation extends ObservationBase {
  kind: 'nova-server';
  instance: string;
  host: string | null;
  vmState: string;
  taskState: string | null;
}

/** What Nova says of a compute service. */
export interface NovaServiceObservation extends ObservationBase {
  kind: 'nova-service';
  host: string;
  state: 'up' | 'down';
  status: 'enabled' | 'disabled';
  forcedDown: boolean;
  disabledReason: string | null;
}

/** Whether a host is healthy (truth: up, nova-compute running, reaching the control plane). */
export interface HostHealthObservation extends ObservationBase {
  kind: 'host-health';
  host: string;
  healthy: boolean;
}

export interface PowerObservation extends ObservationBase {
  kind: 'power';
  host: string;
  state: 'on' | 'off' | 'unknown';
}

/** A fencing operation on a host: its start, then its result. */
export interface FenceObservation extends ObservationBase {
  kind: 'fence';
  phase: 'start' | 'result';
  host: string;
  /** The controller (or agent) that fenced. */
  by: string | null;
  /** For `result`: the device confirmed the host off. */
  ok?: boolean;
}

/**
 * An evacuation Nova accepted. In the simulator, `truth` carries what the source host's truth was at that instant
 * (confirmed fenced, powered off, and when the instance started there); a live history leaves it out and the
 * checker looks back at the fence and power observations before it.
 */
export interface EvacuationObservation extends ObservationBase {
  kind: 'evacuation';
  instance: string;
  /** The host evacuated from (`source` is taken: it names who observed). */
  fromHost: string;
  target?: string;
  truth?: { fenceConfirmedAtMs: number | null; poweredOffAtMs: number | null; startedOnSourceAtMs: number | null };
}

/** A claim on a host's resources (placement or evacuation) and whether the host is over its ratios after it. */
export interface ClaimObservation extends ObservationBase {
  kind: 'claim';
  host: string;
  instance: string;
  overcommitted: boolean;
}

/** A recovery action a controller initiated; `standing` is the controller's true membership then (sim only). */
export interface RecoveryActionObservation extends ObservationBase {
  kind: 'recovery-action';
  action: 'fence' | 'evacuate';
  target: string;
  controller: string | null;
  standing?: ControllerStanding;
}

export type ControllerStanding = 'down' | 'minority' | 'quorate';

/** Where a controller truly stands in the cluster (sim only), written when it changes. */
export interface MembershipObservation extends ObservationBase {
  kind: 'membership';
  source: 'truth';
  controller: string;
  standing: ControllerStanding;
}

/**
 * What happened to one affected instance, as the writer measured it at the end (truth in the simulator). Liveness
 * checkers prefer it to their own reconstruction from serving/heartbeat observations when it is there.
 */
export interface OutcomeObservation extends ObservationBase {
  kind: 'outcome';
  instance: string;
  outcome: string;
  reason: string | null;
  fromHost: string | null;
  failedAtMs: number | null;
  recoveredAtMs: number | null;
  downtimeMs: number | null;
  /** The longest outage before the latest one (an instance can serve, fail, serve, fail again). */
  longestEarlierOutageMs: number;
  /** The whole outcome record the report lists (reports/report-types.ts InstanceOutcome). */
  record?: Record<string, unknown>;
}

/** The last line: the run ended at `t`. `report` carries what reports show besides verdicts (metrics, timeline). */
export interface EndObservation extends ObservationBase {
  kind: 'end';
  source: 'harness';
  /** Liveness that waits for the settle time (convergence) may be judged now. */
  settled: boolean;
  report?: Record<string, unknown>;
}

export type Observation =
  | HeaderObservation | FaultObservation | DomainObservation | ExecutingObservation | WritersObservation
  | HeartbeatObservation | ServingObservation | NovaServerObservation | NovaServiceObservation | HostHealthObservation
  | PowerObservation | FenceObservation | EvacuationObservation | ClaimObservation | RecoveryActionObservation
  | MembershipObservation | OutcomeObservation | EndObservation;

export type ObservationKind = Observation['kind'];

/** Every kind this version knows (a reader skips others). */
export const OBSERVATION_KINDS: readonly ObservationKind[] = [
  'header', 'fault', 'domain', 'executing', 'writers', 'heartbeat', 'serving', 'nova-server', 'nova-service',
  'host-health', 'power', 'fence', 'evacuation', 'claim', 'recovery-action', 'membership', 'outcome', 'end',
];
