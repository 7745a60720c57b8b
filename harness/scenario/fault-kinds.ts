import type { FaultKind } from '../../sim/scenario-spec.js';
import type { PoolKind } from './targets.js';

/** Optional fault keys that only some kinds take. */
export type FaultExtra = 'groups' | 'oneWay' | 'latency' | 'recurring' | 'kdumpReboot' | 'rate' | 'ipmi' | 'bmcSharesPower';

/** Every extra, in the order problems are reported. */
export const FAULT_EXTRAS: readonly FaultExtra[] = ['groups', 'oneWay', 'latency', 'recurring', 'kdumpReboot', 'rate', 'ipmi', 'bmcSharesPower'];

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
/** A cloud-wide fault (no target). */
const cloud = (duration: boolean, extras: readonly FaultExtra[] = []): FaultKindRule =>
  ({ target: 'none', network: 'none', duration, extras });
/** Targets computes; absent: every one. */
const anyHost = (duration: boolean, extras: readonly FaultExtra[] = []): FaultKindRule =>
  ({ target: 'optional-compute', network: 'none', duration, extras });

/** The rules of every fault kind (scenarios/README.md "Faults"; docs/model.md "Faults and holds"). */
export const FAULT_RULES: Readonly<Record<FaultKind, FaultKindRule>> = {
  'host-power-loss': host(true, ['bmcSharesPower']),
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
  'nova-api-errors': cloud(true, ['rate']),
  'nova-api-slow': { ...cloud(true, ['latency']), needs: ['latency'] },
  'nova-api-restore': cloud(false),
  'keystone-token-expired': cloud(false),
  'rebuild-rpc-lost': anyHost(true, ['rate']),
  'rebuild-rpc-restore': anyHost(false),
  'message-bus-cut': host(true),
  'message-bus-restore': host(false),
  'nova-conductor-down': cloud(true),
  'nova-conductor-restore': cloud(false),
  'nova-scheduler-down': cloud(true),
  'nova-scheduler-restore': cloud(false),
  'attrd-update-lost': anyHost(true, ['rate']),
  'attrd-delay': { ...cloud(true, ['latency']), needs: ['latency'] },
  'attrd-restore': anyHost(false),
  'tor-switch-failure': host(true, ['ipmi']),
  'tor-switch-restore': host(false, ['ipmi']),
  'recovery-restart': cloud(false),
};
