/**
 * What clients changed in the served world other than faults: Nova/Keystone writes through the OpenStack API
 * and power actions through a BMC (IPMI, Redfish). The scenario format cannot express them (it has faults
 * only), so the replay scenario lists them as comments and says they are not replayed (replay.ts).
 */

/** One client action, at the sim time it acted. */
export interface ClientAction {
  atMs: number;
  via: 'openstack' | 'ipmi' | 'redfish';
  /** e.g. `PUT /compute/v2.1/os-services/… (200)` or `compute-03 power off`. */
  what: string;
}

/** Keep this many (a long session with a chatty agent must not grow without bound); count the rest. */
const MAX_ACTIONS = 5_000;

export class ActionLog {
  readonly actions: ClientAction[] = [];
  /** Actions past {@link MAX_ACTIONS}, counted but not kept. */
  dropped = 0;

  record(action: ClientAction): void {
    if (this.actions.length < MAX_ACTIONS) this.actions.push(action);
    else this.dropped++;
  }

  get total(): number {
    return this.actions.length + this.dropped;
  }
}

/** Methods that change nothing, and so are not client actions. */
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether an OpenStack API request changed the world: a successful write, other than a Keystone token request
 * (logging in changes nothing the scenario could replay) and the control API (faults are replayed as faults).
 */
export function isWorldWrite(method: string, url: string, status: number, controlPrefix: string): boolean {
  if (READS.has(method) || status >= 400) return false;
  const path = url.split('?')[0] ?? '';
  return !path.startsWith(controlPrefix) && !path.startsWith('/identity');
}
