/**
 * What a mock BMC endpoint (IPMI over UDP, Redfish) needs from the world behind it. `ihasim serve` implements it
 * on the simulated world; tests implement it with a small in-memory fake. All methods are per node name.
 */
export type ChassisPower = 'on' | 'off';

/** Chassis control actions, named as IPMI's chassis control command and Redfish ResetType map onto them. */
export type PowerAction = 'off' | 'on' | 'cycle' | 'reset' | 'diag' | 'soft';

/** How the BMC of a node answers right now, as faults (bmc-unreachable, bmc-broken, ipmi partition) set it. */
export type BmcReachability = 'ok' | 'unreachable' | 'broken';

export interface BmcCredentials {
  username: string;
  password: string;
}

export interface BmcNode {
  name: string;
  credentials: BmcCredentials;
  /** Which interfaces this BMC serves. */
  ipmi: boolean;
  redfish: boolean;
}

export interface BmcBackend {
  nodes(): readonly BmcNode[];
  /** `unreachable`: drop every packet / never answer; `broken`: answer with an error (IPMI completion code 0xFF, HTTP 500). */
  reachability(node: string): BmcReachability;
  power(node: string): ChassisPower;
  /**
   * Carry out a power action. Resolves when the BMC has accepted it (IPMI answers chassis control at once; the
   * power state changes after the node's seeded action latency, as on real hardware: fence agents then poll).
   */
  powerAction(node: string, action: PowerAction, via: 'ipmi' | 'redfish'): Promise<void>;
}
