/**
 * One line of documentation per `config` key, by YAML path (the TS key without its `Ms` suffix). The schema
 * and `scenarios/README.md` show these; a test keeps this table and `DEFAULT_CONFIG` in step.
 */
export const CONFIG_DOCS: Readonly<Record<string, string>> = {
  nova: "Nova's services, API and scheduler.",
  'nova.release':
    'Nova release (series name; its first release, x.0.0): `wallaby` (23), `xena`, `yoga`, `zed` (26), `2023.1`, `2023.2`, `2024.1`, `2024.2`, `2025.1` (31). Before `zed` a second evacuate of an instance whose rebuild is in flight is refused (409), from `zed` it is accepted; from `xena` a force-up is refused while evacuations from the host are `done`.',
  'nova.reportInterval': 'nova-compute heartbeat period (`report_interval`).',
  'nova.serviceDownTime': '`service_down_time`; if ≤ reportInterval, Nova uses 2.5 × reportInterval.',
  'nova.firstReportDelay': 'First heartbeat after nova-compute starts.',
  'nova.rpcTimeout': 'A disable of a host Nova still believes up blocks this long when the host is really dead.',
  'nova.syncPowerStateInterval': 'Power-state sync period: it only logs a count mismatch, never kills orphans.',
  'nova.stoppedEventDelay': 'libvirt STOPPED lifecycle event delay before Nova marks a self-stopped instance stopped.',
  'nova.resumeGuestsStateOnHostBoot': '`resume_guests_state_on_host_boot`.',
  'nova.computeStart': 'Time nova-compute takes to start once launched (before its cleanup and first report).',
  'nova.apiCall': 'Service time of one API call; calls queue behind each other (a finite API rate).',
  'nova.imageFetch': 'Image download to a hypervisor that has not cached it (local-disk rebuilds).',
  'nova.rebuildPrep': 'Time from claim to the rebuild spawning the guest (claim, network, volume attach).',
  'nova.cpuAllocationRatio': '`cpu_allocation_ratio`: vCPUs the scheduler may place per physical CPU.',
  'nova.ramAllocationRatio': '`ram_allocation_ratio`: RAM overcommit of the scheduler.',
  'nova.diskAllocationRatio': '`disk_allocation_ratio`: disk overcommit of the scheduler.',
  pacemaker: 'Pacemaker and corosync on the controllers, pacemaker_remote on the computes.',
  'pacemaker.tokenTimeout': 'corosync token timeout; membership changes after token + consensus (1.2 × token).',
  'pacemaker.remoteMonitorInterval': 'Monitor interval of the pacemaker_remote connection of each compute.',
  'pacemaker.remoteMonitorTimeout': 'Timeout of one remote connection monitor.',
  'pacemaker.reconnectInterval': '`reconnect_interval` of the remote resources: a fenced node that booted rejoins at the next reconnection attempt, one every interval after the failure (0: at once; instance-HA guides set 60 s).',
  'pacemaker.stonithTimeout': '`stonith-timeout`: each device action of a fencing operation is killed (and fails) after this long.',
  'pacemaker.pcmkActionRetries': '`pcmk_<action>_retries`: executions of one device action within its timeout, 1 s apart, each only while at least 30 % of the timeout remains.',
  'pacemaker.fencingMaxAttempts': '`fencing-max-attempts`: failed fencing operations the DC restarts at once before it waits for the recheck interval.',
  'pacemaker.clusterRecheckInterval': '`cluster-recheck-interval` (Pacemaker default 15 min; instance-HA guides set 1 min): after fencingMaxAttempts failures, fencing is tried once per interval.',
  'pacemaker.fenceDelay': 'Static fence delay (two-node clusters need one to avoid a fence race).',
  'pacemaker.novaEvacuateInterval': 'NovaEvacuate monitor interval (it polls attrd).',
  'pacemaker.evacuateRetry': 'NovaEvacuate: an in-progress marker (`<controller>@<epoch>`) older than this is processed again (the agent hard-codes 60 s); a failed pass (`yes`) is retried at the next monitor.',
  'pacemaker.unfenceDelay': 'nova-compute-wait: delay after `evacuate=no` before nova-compute may start.',
  'pacemaker.fenceAction': "Pacemaker's fencing action: `reboot` (all devices of the level off, then all on; the off phase alone decides success) or `off` (`pcmk_reboot_action=off`).",
  fencing: 'Latencies and polling of the power fence devices, per kind of BMC.',
  'fencing.ipmi': 'IPMI BMCs (fence_ipmilan).',
  'fencing.redfish': 'Redfish BMCs (fence_redfish).',
  'fencing.*.actionTime': 'Time the BMC takes to carry out a power action.',
  'fencing.*.powerWait': 'Fence agent `power_wait`: pause between the action and the first status poll.',
  'fencing.*.powerTimeout': 'Fence agent `power_timeout`, only outside Pacemaker: under Pacemaker 2.x the agent runs with `--disable-timeout`, so only stonithTimeout bounds it.',
  'fencing.computeAgent': 'fence_compute version: `current` (fence-agents ≥ 4.5.2: force-down and disable in one try, else poll until the action timeout; one force-up try on `on`, no retry) or `legacy-4.4` (the model\'s earlier agent: without force-down, wait until Nova reports the service down, then disable; retry a refused force-up every 10 s).',
  'fencing.secondLevel': 'A second fencing level, tried when the first (the BMC + fence-nova) fails: `pdu` = [the rack PDU outlets of the host, fence-nova] (fencing topology level 2); `none` (default): one level, as the instance-HA guides configure it. A rack PDU has power while any host of its rack has mains power.',
  'fencing.pdu': 'The rack PDU (fence_apc-style agent): one outlet per host.',
  unfence: 'How a fenced node that returns is unfenced.',
  'unfence.order': '`after-start` (nova-compute-wait: fence_compute `-o on` once nova-compute has started) or `before-start` (TripleO: unfence first, then start nova-compute; fence-nova then provides unfencing, so a reboot does not run its `on`).',
  'fencing.*.statusTime': 'Round trip of one status query.',
  host: 'Compute hosts.',
  'host.boot': 'Power-on (or reset) to the OS running and services launched.',
  'host.kdumpReboot': 'Kernel panic with kdump: the host reboots by itself after this long (0 = stays crashed).',
  guest: 'Guests (instances).',
  'guest.bootTime': 'Guest boot time, from spawn to running its workload.',
  'guest.watchdogTimeout': 'i6300esb watchdog timeout in Linux guests.',
  operator: 'The human operator (`none` policy).',
  'operator.responseTime': '`none` policy: how long until a human acts on a failed host.',
  monitor: 'The external monitor (`no-fence` policy).',
  'monitor.pollInterval': "`no-fence` policy: the external monitor's poll period of Nova's service state.",
  run: 'The run itself.',
  'run.settle': 'Liveness phase: time after the last fault heals (or after the last fault) before convergence is judged.',
  'run.maxEvents': 'Bound on processed events; hitting it is an internal error (IHASIM_SIM_BOUND).',
};

/** The documentation of a config key by YAML path; `fencing.ipmi.x` falls back to `fencing.*.x`. */
export function configDoc(path: string): string {
  const direct = CONFIG_DOCS[path];
  if (direct !== undefined) return direct;
  const wild = path.replace(/^fencing\.[^.]+\./, 'fencing.*.');
  return CONFIG_DOCS[wild] ?? '';
}
