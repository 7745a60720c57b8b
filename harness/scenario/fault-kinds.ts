import type { FaultKind } from '../../sim/scenario-spec.js';
import type { PoolKind } from './targets.js';

/** Optional fault keys that only some kinds take. */
export type FaultExtra = 'groups' | 'oneWay' | 'latency' | 'recurring' | 'kdumpReboot';

/** What one fault kind takes. */
export interface FaultKindRule {
  /** What `target` names; `optional-compute`: no target means everything (storage). `none`: no target. */
  target: PoolKind | 'optional-compute' | 'none';
  network: 'required' | 'optional' | 'none';
  /** May undo itself after `duration` (undo kinds may not). */
  duration: boolean;
  extras: readonly FaultExtra[];
  /** Extras that must be given. */
  needs?: readonly FaultExtra[];
}

const host = (duration: boolean, extras: readonly FaultExtra[] = []): FaultKindRule =>
  ({ target: 'compute', network: 'none', duration, extras });

/** The rules of every fault kind (DESIGN.md "Scenario format", DOMAIN.md §7). */
export const FAULT_RULES: Readonly<Record<FaultKind, FaultKindRule>> = {
  'host-power-loss': host(true),
  'power-restore': host(false),
  'host-kernel-panic': host(false, ['kdumpReboot']),
  'host-hang': host(true),
  'host-reboot': host(false),
  'nova-compute-crash': host(true),
  'nova-compute-start': host(false),
  'pacemaker-remote-crash': host(true),
  'nic-down': { ...host(true), network: 'required' },
  'nic-up': { ...host(false), network: 'required' },
  'guest-panic': { target: 'server', network: 'none', duration: false, extras: ['recurring'] },
  'guest-hang': { target: 'server', network: 'none', duration: true, extras: [] },
  'network-partition': { target: 'none', network: 'required', duration: true, extras: ['groups', 'oneWay'], needs: ['groups'] },
  'network-heal': { target: 'none', network: 'optional', duration: false, extras: [] },
  'controller-failure': { target: 'controller', network: 'none', duration: true, extras: [] },
  'controller-restore': { target: 'controller', network: 'none', duration: false, extras: [] },
  'bmc-unreachable': host(true),
  'bmc-broken': host(true),
  'bmc-slow': { ...host(true, ['latency']), needs: ['latency'] },
  'bmc-restore': host(false),
  'storage-outage': { target: 'optional-compute', network: 'none', duration: true, extras: [] },
  'storage-restore': { target: 'optional-compute', network: 'none', duration: false, extras: [] },
};
