import type { Op } from '../kernel/process.js';
import type { ComputeHost } from '../infra/compute-host.js';
import type { Ports } from './ports.js';

/**
 * A recovery design (docs/model.md "Recovery policies"). The world calls these hooks; everything a policy does to Nova, BMCs or
 * attrd goes through `Ports` inside processes, never by touching the world directly.
 */
export interface RecoveryPolicy {
  readonly name: string;
  /** A controller became DC of an acting partition: start cluster resources there (e.g. NovaEvacuate). */
  clusterStarted(dc: string): void;
  /** Pacemaker declared a compute unclean (remote connection lost), seen from `dc`. */
  nodeFailed(host: ComputeHost, dc: string): void;
  /** `off` of the second device of the fencing level (after the power device succeeded); killed at `deadlineMs`. */
  fenceSecondDevice(ports: Ports, host: string, deadlineMs: number): Op<boolean>;
  /** Does the second device take part in a reboot's on phase (false: none, or it provides automatic unfencing)? */
  secondDeviceRunsOn(): boolean;
  /** `on` of the second device in a reboot's on phase (its result is ignored); killed at `deadlineMs`. */
  unfenceSecondDevice(ports: Ports, host: string, deadlineMs: number): Op<boolean>;
  /** A compute booted: decide when its nova-compute may start (world.releaseNovaCompute). */
  hostBooted(host: ComputeHost): void;
  /** What an operator must still do that Nova does not show (a host left on maintenance by the design…). */
  openActions?(): string[];
}
