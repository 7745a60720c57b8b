import type { FaultKind } from '../../sim/scenario-spec.js';

/** Kinds the checker injects by default: the faults (not their undo), each of which heals or is healed by recovery. */
export const DEFAULT_CHECK_KINDS: readonly FaultKind[] = [
  'host-power-loss', 'host-hang', 'host-kernel-panic', 'host-reboot', 'nova-compute-crash', 'pacemaker-remote-crash',
  'nic-down', 'guest-panic', 'guest-hang', 'network-partition', 'controller-failure', 'bmc-unreachable', 'bmc-broken',
  'bmc-slow', 'storage-outage',
  // Seam faults that heal by themselves. Left out: `rebuild-rpc-lost`, `nova-scheduler-down` and `attrd-update-lost`,
  // whose damage outlives them (a rebuild or an `evacuate=yes` nothing retries): every schedule with one would be a
  // counterexample. Ask for them with `check.faults` or `--faults`.
  'nova-api-errors', 'nova-api-slow', 'keystone-token-expired', 'message-bus-cut', 'nova-conductor-down', 'attrd-delay',
  'tor-switch-failure',
];
