import type { RhosoConfig } from './config.js';

/**
 * RHOSO InstanceHA's catalogued defects (`ihasim check --defect NAME`). Both are upstream's DEFAULTS: the
 * playground `scenarios/rhoso-check.yaml` runs the knobs that avoid them, and each defect puts the default back
 * (as `tripleo-unfence-order` puts TripleO's order back), so the search shows what the default costs.
 */
export const RHOSO_DEFECTS = [
  { name: 'rhoso-threshold-skips-outage',
    source: 'instanceha.py `_admit_stale_services`: THRESHOLD (default 50 %) counts every down or forced-down service plus the new candidates and skips the whole cycle above it, every cycle, for as long as the hosts are down',
    change: 'THRESHOLD back to upstream\'s default 50 % (the playground runs 100)' },
  { name: 'rhoso-power-on-before-rebuilds',
    source: 'instanceha.py `process_service`: in the default fire-and-forget mode `_post_evacuation_recovery` powers the host on as soon as the evacuate calls were accepted, so its nova-compute starts while rebuilds run elsewhere (Nova >= xena then refuses the force-up while a `done` row is left: `ServiceController._check_for_evacuations`)',
    change: 'SMART_EVACUATION back to upstream\'s default false (the playground runs true)' },
] as const;

export type RhosoDefectName = (typeof RHOSO_DEFECTS)[number]['name'];

/** The config a run with `defects` switched on uses. */
export function withDefects(config: RhosoConfig, has: (name: RhosoDefectName) => boolean): RhosoConfig {
  let out = config;
  if (has('rhoso-threshold-skips-outage')) out = { ...out, thresholdPercent: 50 };
  if (has('rhoso-power-on-before-rebuilds')) out = { ...out, smartEvacuation: false, orchestratedRestart: false };
  return out;
}
