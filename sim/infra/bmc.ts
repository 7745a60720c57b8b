import type { Dist } from '../kernel/dist-types.js';
import type { BmcSpec } from '../scenario-spec.js';
import type { ComputeHost } from './compute-host.js';

export type BmcCondition = 'ok' | 'unreachable' | 'broken';

/**
 * The baseboard management controller of one compute node. It lives on the `ipmi` network under its node's name
 * and keeps working when the node is off (that is the point of out-of-band power control).
 */
export class Bmc {
  condition: BmcCondition = 'ok';
  /** bmc-slow: added to every action. */
  extraLatency: Dist | null = null;
  /** host-power-loss with `bmcSharesPower`: the BMC has no standby power and is dead while its host's feed is off. */
  unpowered = false;
  /** Power actions accepted and not yet carried out (a status poll's answer may change on its own meanwhile). */
  pendingActions = 0;

  constructor(
    readonly host: ComputeHost,
    readonly spec: BmcSpec,
  ) {}
}

/** Chassis control actions (IPMI names; Redfish ResetTypes map onto them). */
export type BmcAction = 'off' | 'on' | 'cycle' | 'reset' | 'diag' | 'soft';
