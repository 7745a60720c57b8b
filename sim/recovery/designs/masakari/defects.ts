import type { DesignDefect } from '../../design.js';

/**
 * Masakari's catalogued defects (`ihasim check --defect NAME`). Two of its known bugs ARE the upstream defaults and
 * need no mutation: a `host_status` UNKNOWN ignored for good, and the re-evacuation of rebuilds in flight; the
 * README's Masakari section shows how `ihasim check` finds them on their scenarios.
 */
export const MASAKARI_DEFECTS = [
  {
    name: 'masakari-no-coordination',
    source: 'Masakari LP#1961110 / LP#2028450: without [coordination] backend_url the per-host lock of ' +
      'NotificationAPI._create_host_type_notification is a no-op (masakari/coordination.py Coordinator.get_lock ' +
      'returns None) and notification_delay_max only makes the race rarer: two notifications, two engine flows for one host',
    change: 'masakari-api behaves as without a coordination backend although the scenario sets `coordinationBackend: tooz`',
  },
  {
    name: 'masakari-evacuate-unknown',
    source: 'Masakari before the LP#1858762 fix: a notification whose host_status is UNKNOWN (the BMC could not ' +
      'confirm the power off) was recovered like a NORMAL one',
    change: 'the engine recovers a STOPPED notification whatever its host_status (engine/manager.py ' +
      '_handle_notification_type_host without its NORMAL check)',
  },
] as const satisfies readonly DesignDefect[];

export type MasakariDefectName = (typeof MASAKARI_DEFECTS)[number]['name'];
