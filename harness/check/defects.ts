/**
 * The catalogue of known defects (`ihasim check --defect NAME`): each a small, faithful mutation of the recovery
 * logic or of Nova's model that reproduces a real bug (reference/instance-ha-anchors.md §5). The default check
 * must find every one; the correct logic must pass.
 */
export interface Defect {
  name: string;
  /** The real bug or design it reproduces. */
  source: string;
  /** What the mutation changes. */
  change: string;
}

export const DEFECTS: readonly Defect[] = [
  { name: 'evacuate-without-fencing', source: 'monitoring without fencing (seed posts; Nova evacuate.rst: "validate the host is not operational")',
    change: 'the fencing level skips the power device: fence-nova alone marks the host down and evacuation starts' },
  { name: 'trust-bmc-ok', source: 'fence device reporting success without power-off (instance-ha-anchors §6)',
    change: 'the power agent takes the BMC acknowledgement (or an error) as "off" without polling status' },
  { name: 'evacuate-on-fence-failure', source: 'Masakari LP#1858762 (evacuating when IPMI could not confirm power-off)',
    change: 'a failed power fence is treated as success' },
  { name: 'minority-partition-acts', source: 'no-quorum-policy=ignore; split brain',
    change: 'every partition of the controllers elects a DC that monitors, fences and recovers, quorum or not' },
  { name: 'overlapping-recovery-passes', source: 'Masakari LP#1961110 / LP#2028450 / LP#1773132 (two workflows for one host)',
    change: 'two NovaEvacuate instances run and ignore each other\'s in-progress markers' },
  { name: 'unfence-before-evacuations-finish', source: 'osp-ha-deploy #13, nova-compute-wait (LP#1764883 territory)',
    change: 'a rebooted compute starts nova-compute and is forced up at once, without waiting for evacuate=no' },
  { name: 'fixed-wait-no-force-down', source: 'bigstack-oss/cubecos #1274 (fixed 30 s sleep < service_down_time, then give up)',
    change: 'fence-nova does not force down, sleeps 30 s, flags the node; a refused pass is not retried' },
  { name: 'instance-filter-ignored', source: 'fence_evacuate --instance-filtering misconfigured / opt-in ignored',
    change: 'every instance of the failed host is evacuated, whatever the policy\'s filter' },
  { name: 'forced-evacuation-target', source: 'reserved-host evacuation with force=true (scheduler bypassed)',
    change: 'all instances go to the first up host with force=true, skipping capacity checks' },
];

export const DEFECT_NAMES: readonly string[] = DEFECTS.map((d) => d.name);
