import { constant, type Dist } from './kernel/dist-types.js';
import { NEWEST_NOVA_RELEASE, type NovaRelease } from './nova/release.js';

/**
 * Every tunable of the model, with its defaults (scenarios/README.md "`config`"; the rules in docs/model.md).
 * Convention: a TS key `fooMs` (a duration, or a `Dist` of durations, in milliseconds) is the scenario YAML
 * key `foo` (a duration string such as `20s`, an integer of ms, or a distribution). Other keys are the same.
 */
export interface SimConfig {
  nova: {
    /** Nova release whose behaviour is modelled where it changed (sim/nova/release.ts). */
    release: NovaRelease;
    /** nova-compute heartbeat period (`report_interval`). */
    reportIntervalMs: number;
    /** `service_down_time`; if ≤ reportInterval, Nova uses 2.5 × reportInterval. */
    serviceDownTimeMs: number;
    /** First heartbeat after nova-compute starts. */
    firstReportDelayMs: number;
    /** A disable of a host Nova still believes up blocks this long when the host is really dead. */
    rpcTimeoutMs: number;
    /** Power-state sync period: it only logs a count mismatch, never kills orphans. */
    syncPowerStateIntervalMs: number;
    /** libvirt STOPPED lifecycle event delay before Nova marks a self-stopped instance stopped. */
    stoppedEventDelayMs: number;
    /** `resume_guests_state_on_host_boot`. */
    resumeGuestsStateOnHostBoot: boolean;
    /** Time nova-compute takes to start once launched (before its cleanup and first report). */
    computeStartMs: Dist;
    /** Service time of one API call; calls queue behind each other (a finite API rate). */
    apiCallMs: Dist;
    /** Image download to a hypervisor that has not cached it (local-disk rebuilds). */
    imageFetchMs: Dist;
    /** Time from claim to the rebuild spawning the guest (claim, network, volume attach). */
    rebuildPrepMs: Dist;
    cpuAllocationRatio: number;
    ramAllocationRatio: number;
    diskAllocationRatio: number;
  };
  pacemaker: {
    /** corosync token timeout; membership changes after token + consensus (1.2 × token). */
    tokenTimeoutMs: number;
    remoteMonitorIntervalMs: number;
    remoteMonitorTimeoutMs: number;
    /**
     * `reconnect_interval` of the remote resources: after a connection failure (and fencing) the cluster tries the
     * connection again only every this long, so a rebooted node rejoins at the next attempt (0: at once).
     */
    reconnectIntervalMs: number;
    /** `stonith-timeout`: each device action of a fencing operation is killed after this long. */
    stonithTimeoutMs: number;
    /**
     * `pcmk_<action>_retries`: executions of one device action within its timeout, 1 s apart, each only while
     * ≥ 30 % of the timeout remains (lib/fencing/st_actions.c `update_remaining_timeout`).
     */
    pcmkActionRetries: number;
    /** `fencing-max-attempts`: failed fencing operations the DC restarts at once before it waits for a recheck. */
    fencingMaxAttempts: number;
    /** `cluster-recheck-interval`: once fencing failed fencingMaxAttempts times, it is tried once per interval. */
    clusterRecheckIntervalMs: number;
    /** Static fence delay (two-node clusters need one to avoid a fence race). */
    fenceDelayMs: number;
    /** NovaEvacuate monitor interval (it polls attrd). */
    novaEvacuateIntervalMs: number;
    /**
     * NovaEvacuate: an in-progress marker (`<controller>@<epoch>`) older than this is processed again (the agent
     * hard-codes 60 s). A failed pass (`yes`) is retried at the next monitor, not after this.
     */
    evacuateRetryMs: number;
    /** nova-compute-wait: delay after `evacuate=no` before nova-compute may start. */
    unfenceDelayMs: number;
    /**
     * Pacemaker's fencing action: `reboot` (every device of the level off, then every device on; the off phase
     * alone decides success) or `off` (`pcmk_reboot_action=off` / `stonith-action=off`, as several guides set).
     */
    fenceAction: 'reboot' | 'off';
  };
  fencing: {
    ipmi: BmcTimings;
    redfish: BmcTimings;
    /**
     * Which fence_compute: `current` (fence-agents ≥ 4.5.2: force-down + disable in one try, else poll for ever;
     * one force-up attempt on `on`) or `legacy-4.4` (the model's earlier agent: without force-down, wait until
     * Nova reports the service down, then disable; a refused force-up is retried every 10 s).
     */
    computeAgent: 'current' | 'legacy-4.4';
    /**
     * A second fencing level, tried when the first (power device + fence-nova) fails: `pdu` is [the rack PDU's
     * outlets for the host, fence-nova], as a fencing topology `level 2` (fenced_remote.c `advance_topology_level`).
     * `none` (default): one level, as the instance-HA guides configure it.
     */
    secondLevel: 'none' | 'pdu';
    /** The PDU agent (fence_apc-style): one outlet per host, switched over the management network. */
    pdu: BmcTimings;
  };
  unfence: {
    /**
     * When fence_compute `-o on` runs on a returning node: `after-start` (nova-compute-wait's
     * `ExecStartPost`, once nova-compute has started) or `before-start` (TripleO: unfencing first, then
     * nova-compute; fence-nova then has `provides=unfencing`, so Pacemaker skips it in a reboot's on phase).
     */
    order: 'after-start' | 'before-start';
  };
  host: {
    /** Power-on (or reset) to the OS running and services launched. */
    bootMs: Dist;
    /** Kernel panic with kdump: the host reboots by itself after this long (0 = stays crashed). */
    kdumpRebootMs: number;
  };
  guest: {
    bootTimeMs: Dist;
    /** i6300esb watchdog timeout in Linux guests. */
    watchdogTimeoutMs: number;
  };
  operator: {
    /** `none` policy: how long until a human acts on a failed host. */
    responseTimeMs: Dist;
  };
  monitor: {
    /** `no-fence` policy: the external monitor's poll period of Nova's service state. */
    pollIntervalMs: number;
  };
  run: {
    /** Liveness phase: time after the last fault heals (or after the last fault) before convergence is judged. */
    settleMs: number;
    /** Bound on processed events; hitting it is an internal error (IHASIM_SIM_BOUND). */
    maxEvents: number;
  };
}

/** Latencies and polling of one kind of power fence device. */
export interface BmcTimings {
  /** Time the BMC takes to carry out a power action. */
  actionTimeMs: Dist;
  /** fence agent `power_wait`: pause between the action and the first status poll. */
  powerWaitMs: number;
  /**
   * fence agent `power_timeout`: give up polling status after this long. Only when the agent runs outside
   * Pacemaker: under Pacemaker ≥ 2.0 it runs with `--disable-timeout` (fencing.py `check_input`), so only the
   * action timeout (`stonith-timeout`) bounds it.
   */
  powerTimeoutMs: number;
  /** Round trip of one status query. */
  statusTimeMs: Dist;
}

const S = 1000;
const MIN = 60 * S;

export const DEFAULT_CONFIG: SimConfig = {
  nova: {
    release: NEWEST_NOVA_RELEASE,
    reportIntervalMs: 10 * S,
    serviceDownTimeMs: 60 * S,
    firstReportDelayMs: 5 * S,
    rpcTimeoutMs: 60 * S,
    syncPowerStateIntervalMs: 600 * S,
    stoppedEventDelayMs: 15 * S,
    resumeGuestsStateOnHostBoot: false,
    computeStartMs: { kind: 'uniform', min: 5 * S, max: 15 * S },
    apiCallMs: { kind: 'uniform', min: 50, max: 250 },
    imageFetchMs: { kind: 'uniform', min: 5 * S, max: 30 * S },
    rebuildPrepMs: { kind: 'uniform', min: 2 * S, max: 6 * S },
    cpuAllocationRatio: 4,
    ramAllocationRatio: 1,
    diskAllocationRatio: 1,
  },
  pacemaker: {
    tokenTimeoutMs: 3 * S,
    remoteMonitorIntervalMs: 20 * S,
    remoteMonitorTimeoutMs: 30 * S,
    reconnectIntervalMs: 60 * S,
    stonithTimeoutMs: 60 * S,
    pcmkActionRetries: 2,
    fencingMaxAttempts: 10,
    clusterRecheckIntervalMs: 1 * MIN,
    fenceDelayMs: 0,
    novaEvacuateIntervalMs: 10 * S,
    evacuateRetryMs: 60 * S,
    unfenceDelayMs: 120 * S,
    fenceAction: 'reboot',
  },
  fencing: {
    ipmi: { actionTimeMs: { kind: 'uniform', min: 1 * S, max: 4 * S }, powerWaitMs: 2 * S, powerTimeoutMs: 20 * S, statusTimeMs: { kind: 'uniform', min: 100, max: 500 } },
    redfish: { actionTimeMs: { kind: 'uniform', min: 1 * S, max: 5 * S }, powerWaitMs: 2 * S, powerTimeoutMs: 20 * S, statusTimeMs: { kind: 'uniform', min: 200, max: 800 } },
    computeAgent: 'current',
    secondLevel: 'none',
    pdu: { actionTimeMs: { kind: 'uniform', min: 1 * S, max: 3 * S }, powerWaitMs: 2 * S, powerTimeoutMs: 20 * S, statusTimeMs: { kind: 'uniform', min: 200, max: 800 } },
  },
  unfence: { order: 'after-start' },
  host: {
    bootMs: { kind: 'uniform', min: 2 * MIN, max: 4 * MIN },
    kdumpRebootMs: 0,
  },
  guest: {
    bootTimeMs: { kind: 'lognormal', median: 30 * S, p99: 90 * S },
    watchdogTimeoutMs: 30 * S,
  },
  operator: { responseTimeMs: constant(30 * MIN) },
  monitor: { pollIntervalMs: 60 * S },
  run: { settleMs: 10 * MIN, maxEvents: 50_000_000 },
};
