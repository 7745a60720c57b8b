import type { SimConfig } from '../config.js';
import type { Op } from '../kernel/process.js';
import type { RecoverySpec } from '../scenario-spec.js';
import type { DesignPorts } from './design-ports.js';

/**
 * A recovery design as a plug-in (docs/model.md "Recovery designs"): Pacemaker instance HA, Masakari, RHOSO
 * InstanceHA, the baselines. A design is built from its ports and its own resolved config only, never from the
 * world, so the logic under test is the same code whether the ports are simulated (sim/adapters) or real.
 *
 * Adding a design touches its own folder under sim/recovery/designs/ and one line of the registry.
 */
export interface RecoveryDesign {
  /** The world is built: start what runs from the beginning (a poller, monitors on every cluster node…). */
  start(): void;
  /** A controller became DC of an acting partition (designs whose resources run in the Pacemaker cluster). */
  clusterStarted?(dc: string): void;
  /** Pacemaker declared a compute unclean (its remote connection was lost), seen from `dc`. */
  nodeFailed?(host: string, dc: string): void;
  /** A compute booted: decide when its nova-compute may start (`ports.lifecycle.releaseNovaCompute`). */
  hostBooted(host: string): void;
  /**
   * The second device of the Pacemaker fencing level, for designs with `capabilities.pacemakerFencing ===
   * 'power+nova'` (fence_compute / fence_evacuate beside the power device).
   */
  readonly secondFenceDevice?: SecondFenceDevice;
}

/** fence_compute-like device in the same Pacemaker fencing level as the power device. */
export interface SecondFenceDevice {
  /** `off` after the power device succeeded; killed at `deadlineMs`. */
  off(host: string, deadlineMs: number): Op<boolean>;
  /** Does it take part in a reboot's on phase (false: none, or `provides=unfencing`)? */
  runsOn(): boolean;
  /** `on` in a reboot's on phase (its result is ignored); killed at `deadlineMs`. */
  on(host: string, deadlineMs: number): Op<boolean>;
}

/**
 * What the world and the checkers may know of a design without knowing its name. Checkers and outcome reasons
 * read these, never `policy === '…'`.
 */
export interface DesignCapabilities {
  /**
   * How the Pacemaker cluster fences computes under this design: `power+nova` (the power device and the
   * design's second device in one level: Pacemaker instance HA), `power` (STONITH with the power device only:
   * Masakari relies on it), `none` (computes are not fenced by Pacemaker: RHOSO InstanceHA, the baselines).
   */
  pacemakerFencing: 'power+nova' | 'power' | 'none';
  /** Who evacuates: the design itself, nobody (it only notifies), a human operator, or an agent outside. */
  evacuation: 'automatic' | 'notify-only' | 'operator' | 'external';
  /** Recovery stops when the controllers lose quorum (its logic runs as cluster resources). */
  needsQuorum: boolean;
  /** The design fences (or has Pacemaker fence) before it evacuates; false: unsafe by design (a baseline). */
  fencesBeforeEvacuating: boolean;
  /** Honours `recovery.instanceFilter` / opt-in metadata when choosing what to evacuate. */
  honoursOptIn: boolean;
}

/** A registry entry (sim/recovery/designs/registry.ts). */
export interface DesignDefinition<C = unknown> {
  /** The `recovery.policy` value. */
  readonly name: string;
  /** One line for `--help`, the schema's description and the docs. */
  readonly summary: string;
  readonly capabilities: DesignCapabilities;
  /**
   * JSON-schema properties of the design's own keys, siblings of `policy` under `recovery:`, each with its
   * default, bounds and a description naming the upstream knob (`wait_period_after_service_update`, `POLL`…).
   */
  readonly configSchema: Record<string, unknown>;
  /**
   * Semantic checks the schema cannot express (a method that needs reserved hosts without any): messages, reported
   * at load (exit 3). A message starting with one of the design's keys and a colon (`reservedHosts: none given`)
   * is reported at that key path (`recovery.reservedHosts`), others at `recovery`.
   */
  validate?(config: C, context: DesignValidationContext): string[];
  /**
   * Resolve the validated `recovery:` block (durations to ms, defaults filled) into the design's config.
   * `recovery` holds `policy` and the design's own keys (those of `configSchema`) as the scenario wrote them, with
   * the schema's defaults; `context` the common keys already read and the scenario's `config:` (timings of the
   * cluster and agents a design may take over).
   */
  resolve(recovery: Record<string, unknown>, context: DesignResolveContext): C;
  create(ports: DesignPorts, config: C): RecoveryDesign;
  /**
   * The design's catalogued defects (`ihasim check --defect NAME`, `ports.hasDefect(NAME)`): names unique across
   * the core catalogue (harness/check/defects.ts) and every design's.
   */
  readonly defects?: readonly DesignDefect[];
  /**
   * The run seed's fork the design's RandomPort draws from; default `design:<name>`. The baselines keep the stream
   * they drew from before designs were plug-ins (`operator`), so their runs are unchanged.
   */
  readonly randomStream?: string;
}

/** What `resolve` is given besides the design's own keys. */
export interface DesignResolveContext {
  /** The common keys of `recovery:` (instanceFilter, forceDown, sharedStorage, evacuateLocal), read. */
  recovery: RecoverySpec;
  /** The scenario's `config:` block, resolved. */
  config: SimConfig;
}

/** A known bug a design can be mutated to reproduce (the same shape as the core catalogue's entries). */
export interface DesignDefect {
  readonly name: string;
  /** The real bug or design it reproduces. */
  readonly source: string;
  /** What the mutation changes. */
  readonly change: string;
  /** Outcome reasons this defect's runs do not excuse even when the scenario does (see harness/check/defects.ts). */
  readonly unexcused?: readonly string[];
}

/** What `validate` may look at besides the design's own config (hosts and their metadata, aggregates). */
export interface DesignValidationContext {
  hosts: readonly { name: string; rack: string; az: string; reserved?: boolean }[];
  aggregates: readonly { name: string; hosts: readonly string[]; metadata: Readonly<Record<string, string>> }[];
}
