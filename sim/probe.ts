import type { ComputeHost } from './infra/compute-host.js';
import type { Instance } from './instance.js';
import type { FaultSpec } from './scenario-spec.js';

/**
 * What the world tells the checkers as it changes (harness/checkers implements it). Safety invariants are
 * judged on these calls, at the instant the truth changes; the world never judges itself.
 */
export interface Probe {
  /** The set of executing domains (or disk writers) of an instance changed. */
  instanceTruthChanged(instance: Instance, now: number): void;
  /** Nova accepted an evacuation of `instance` away from `source`. */
  evacuationAccepted(instance: Instance, source: ComputeHost, now: number): void;
  /** A claim was made on `host` (placement or evacuation). */
  claimed(host: ComputeHost, instance: Instance, now: number): void;
  /** A recovery action (a fencing operation, an evacuation) was initiated by `controller`. */
  recoveryAction(action: 'fence' | 'evacuate', target: string, controller: string | null, now: number): void;
  /** Controllers, networks or storage changed (who can reach whom may differ now). */
  topologyChanged(now: number): void;
  /**
   * Optional, for a probe that records a history (harness/history): a domain started or stopped, a host's state
   * changed, a fault was injected or undone. Not called on the hot path unless the probe has them.
   */
  domainChanged?(instance: Instance, host: ComputeHost, phase: 'started' | 'stopped', startedAtMs: number, now: number): void;
  hostStateChanged?(host: ComputeHost, now: number): void;
  faultChanged?(fault: FaultSpec, phase: 'injected' | 'healed', targets: readonly string[], now: number): void;
}

export const NULL_PROBE: Probe = {
  instanceTruthChanged: () => {},
  evacuationAccepted: () => {},
  claimed: () => {},
  recoveryAction: () => {},
  topologyChanged: () => {},
};
