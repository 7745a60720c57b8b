import { DESIGNS } from '../../sim/recovery/designs/registry.js';

/**
 * The catalogue of known defects (`ihasim check --defect NAME`): each a small, faithful mutation of the recovery
 * logic or of Nova's model that reproduces a real bug. The default check must find every one (test/property/
 * check.test.ts, pinned seeds and run counts). A real bug that IS the upstream logic in some configuration is an
 * entry that sets that configuration (`configures`), or that judges the run without the excuse the scenario grants
 * the upstream logic (`unexcused`); the README's defect table says which.
 */
export interface Defect {
  readonly name: string;
  /** The real bug or design it reproduces. */
  readonly source: string;
  /** What the mutation changes. */
  readonly change: string;
  /**
   * Outcome reasons (README "Allowed reasons") this defect's runs do not excuse even when the scenario's
   * `expect.allowedReasons` does: the defect IS the correct logic, and the reason is the bug.
   */
  readonly unexcused?: readonly string[];
}

/**
 * The core catalogue: defects of the world's model and of the designs that were built in before designs became
 * plug-ins (their names are kept: scenarios, reports and `ihasim check` runs name them). A design lists its own in
 * its registry entry (DesignDefinition.defects); {@link defectCatalogue} is both.
 */
export const DEFECTS = [
  { name: 'evacuate-without-fencing', source: 'monitoring without fencing (seed posts; Nova evacuate.rst: "validate the host is not operational")',
    change: 'the fencing level skips the power device: fence-nova alone marks the host down and evacuation starts' },
  { name: 'trust-bmc-ok', source: 'fence device reporting success without power-off (a BMC that acknowledges and does nothing)',
    change: 'the power agent takes the BMC acknowledgement (or an error) as "off" without polling status' },
  { name: 'evacuate-on-fence-failure', source: 'Masakari LP#1858762 (evacuating when IPMI could not confirm power-off)',
    change: 'a failed power fence is treated as success' },
  { name: 'minority-partition-acts', source: 'no-quorum-policy=ignore; split brain',
    change: 'every partition of the controllers elects a DC that monitors, fences and recovers, quorum or not' },
  { name: 'overlapping-recovery-passes', source: 'Masakari LP#1961110 / LP#2028450 / LP#1773132 (two workflows for one host); on Nova >= zed the second evacuate of an instance whose rebuild is in flight is accepted (compute/api.py API.evacuate, LP#1978983)',
    change: 'two NovaEvacuate instances run and ignore each other\'s in-progress markers' },
  { name: 'unfence-before-evacuations-finish', source: 'osp-ha-deploy #13, nova-compute-wait (LP#1764883 territory)',
    change: 'a rebooted compute starts nova-compute and is forced up at once, without waiting for evacuate=no' },
  { name: 'fixed-wait-no-force-down', source: 'bigstack-oss/cubecos #1274 (fixed 30 s sleep < service_down_time, then give up)',
    change: 'fence-nova does not force down, sleeps 30 s, flags the node; a refused pass is not retried' },
  { name: 'instance-filter-ignored', source: 'fence_evacuate --instance-filtering misconfigured / opt-in ignored',
    change: 'every instance of the failed host is evacuated, whatever the policy\'s filter' },
  { name: 'forced-evacuation-target', source: 'reserved-host evacuation with force=true (scheduler bypassed)',
    change: 'all instances go to the first up host with force=true, skipping capacity checks' },
  { name: 'source-restart-skips-pre-migrating', source: 'Nova LP#1764883 (before 18.0.0 rocky, fixed by c4988cdabf: ComputeManager._destroy_evacuated_instances ignored `pre-migrating` evacuations)',
    change: 'a returning source\'s nova-compute cleans up only `accepted`/`done` evacuations and resumes an instance whose rebuild is in flight elsewhere' },
  { name: 'tripleo-unfence-order', source: 'LP#1922053 with TripleO\'s unfence order (fence-nova provides=unfencing before nova-compute starts; config.unfence.order: before-start)',
    change: 'the correct agents in TripleO\'s order: fence_compute -o on forces up before nova-compute has cleaned up, Nova (>= xena) refuses, the agent never retries' },
  { name: 'rebuild-lost-never-retried', source: 'Nova ComputeManager.rebuild_instance dies with a destination lost mid-rebuild; NovaEvacuate set evacuate=no when the API accepted the evacuation',
    change: 'none: the correct logic, with reason `rebuild-lost` no longer excused by the scenario', unexcused: ['rebuild-lost'] },
] as const satisfies readonly Defect[];

/** A core defect's name: a misspelt name in `world.hasDefect('…')` is a compile error. */
export type DefectName = (typeof DEFECTS)[number]['name'];

/** Every catalogued defect: the core ones, then each registered design's (sim/recovery/designs/registry.ts). */
export function defectCatalogue(): readonly Defect[] {
  const all: Defect[] = [...DEFECTS];
  for (const design of DESIGNS) {
    for (const d of design.defects ?? []) {
      if (all.some((x) => x.name === d.name)) throw new RangeError(`defect '${d.name}' of design '${design.name}' is already catalogued`);
      all.push(d);
    }
  }
  return all;
}

/** Names of every catalogued defect (`--defect` accepts these). */
export function defectNames(): string[] {
  return defectCatalogue().map((d) => d.name);
}

/** The core names, for code that needs them at import time. */
export const DEFECT_NAMES: readonly string[] = DEFECTS.map((d) => d.name);

export function isDefectName(name: string): name is DefectName {
  return DEFECT_NAMES.includes(name);
}

/** A name of the catalogue (core or a design's). */
export function isCataloguedDefect(name: string): boolean {
  return defectNames().includes(name);
}

/** Reasons that the given defects' runs do not excuse (see `Defect.unexcused`). */
export function unexcusedReasons(defects: Iterable<string>): Set<string> {
  const out = new Set<string>();
  const named = new Set(defects);
  for (const d of defectCatalogue()) if (d.unexcused && named.has(d.name)) d.unexcused.forEach((r) => out.add(r));
  return out;
}
