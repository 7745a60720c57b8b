import type { DesignDefect } from '../../design.js';

/**
 * Masakari's catalogued defects (`ihasim check --defect NAME`). Its other known bugs ARE the upstream defaults and
 * need no mutation: a `host_status` UNKNOWN ignored for good (LP#1858762 as fixed), the re-evacuation of rebuilds in
 * flight, and duplicate notifications without a coordination backend (LP#1961110 / LP#2028450, the
 * `coordinationBackend` knob); the README's Masakari section shows what `ihasim check` finds of each.
 */
export const MASAKARI_DEFECTS = [
  {
    name: 'masakari-evacuate-unknown',
    source: 'Masakari before the LP#1858762 fix: a notification whose host_status is UNKNOWN (the BMC could not ' +
      'confirm the power off) was recovered like a NORMAL one',
    change: 'the engine recovers a STOPPED notification whatever its host_status (engine/manager.py ' +
      '_handle_notification_type_host without its NORMAL check)',
  },
] as const satisfies readonly DesignDefect[];

export type MasakariDefectName = (typeof MASAKARI_DEFECTS)[number]['name'];
