/**
 * In-memory `BmcBackend` for the Redfish mock's tests: nodes with credentials, a power state and a reachability per
 * node, and a log of every power action carried out. Power actions apply at once, or after `actionLatencyMs`
 * (real timers, for interop tests where fence_redfish polls the status).
 */
import type {
  BmcBackend,
  BmcCredentials,
  BmcNode,
  BmcReachability,
  ChassisPower,
  PowerAction,
} from '../../harness/serve/bmc/backend.js';

export interface FakeNodeSpec {
  name: string;
  credentials?: BmcCredentials;
  power?: ChassisPower;
  reachability?: BmcReachability;
  redfish?: boolean;
  ipmi?: boolean;
}

export interface RecordedAction {
  node: string;
  action: PowerAction;
  via: 'ipmi' | 'redfish';
}

/** Power after an action: off/soft power off; on/cycle/reset leave the node on; diag (NMI) changes nothing. */
export function powerAfter(current: ChassisPower, action: PowerAction): ChassisPower {
  switch (action) {
    case 'off':
    case 'soft':
      return 'off';
    case 'on':
    case 'cycle':
    case 'reset':
      return 'on';
    case 'diag':
      return current;
  }
}

export class FakeRedfishBackend implements BmcBackend {
  readonly actions: RecordedAction[] = [];
  private readonly nodeList: BmcNode[];
  private readonly powerByNode = new Map<string, ChassisPower>();
  private readonly reach = new Map<string, BmcReachability>();

  constructor(specs: readonly FakeNodeSpec[], private readonly actionLatencyMs = 0) {
    this.nodeList = specs.map((s) => ({
      name: s.name,
      credentials: s.credentials ?? { username: 'admin', password: 'password' },
      ipmi: s.ipmi ?? true,
      redfish: s.redfish ?? true,
    }));
    for (const s of specs) {
      this.powerByNode.set(s.name, s.power ?? 'on');
      this.reach.set(s.name, s.reachability ?? 'ok');
    }
  }

  nodes(): readonly BmcNode[] {
    return this.nodeList;
  }

  reachability(node: string): BmcReachability {
    return this.reach.get(node) ?? 'unreachable';
  }

  power(node: string): ChassisPower {
    const power = this.powerByNode.get(node);
    if (power === undefined) throw new Error(`fake backend: unknown node ${node}`);
    return power;
  }

  async powerAction(node: string, action: PowerAction, via: 'ipmi' | 'redfish'): Promise<void> {
    const current = this.power(node);
    this.actions.push({ node, action, via });
    const apply = () => this.powerByNode.set(node, powerAfter(this.powerByNode.get(node) ?? current, action));
    if (this.actionLatencyMs > 0) setTimeout(apply, this.actionLatencyMs).unref();
    else apply();
  }

  /** Test control: set a node's power. */
  setPower(node: string, power: ChassisPower): void {
    this.powerByNode.set(node, power);
  }

  /** Test control: set a node's reachability (a fault). */
  setReachability(node: string, reachability: BmcReachability): void {
    this.reach.set(node, reachability);
  }

  /** Power of every node and the number of actions, for "state unchanged" assertions. */
  snapshot(): { power: Record<string, ChassisPower>; actions: number } {
    return { power: Object.fromEntries(this.powerByNode), actions: this.actions.length };
  }
}
