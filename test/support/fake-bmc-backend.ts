/**
 * In-memory `BmcBackend` for tests of the mock BMC endpoints (IPMI, Redfish): named nodes with credentials,
 * reachability and chassis power; records every power action; applies the power change after a configurable
 * delay, as real hardware does (fence agents then poll status).
 */
import type { BmcBackend, BmcNode, BmcReachability, ChassisPower, PowerAction } from '../../harness/serve/bmc/backend.js';

export interface FakeNodeInit {
  name: string;
  username?: string;
  password?: string;
  power?: ChassisPower;
  reachability?: BmcReachability;
  ipmi?: boolean;
  redfish?: boolean;
  /** Overrides the backend-wide power delay for this node, in ms. */
  powerDelayMs?: number;
}

export interface RecordedAction {
  node: string;
  action: PowerAction;
  via: 'ipmi' | 'redfish';
  atMs: number;
}

export interface FakeBmcBackendOptions {
  /** Delay between an accepted power action and the power change, in ms (0 = immediately). */
  powerDelayMs?: number;
}

interface NodeState {
  node: BmcNode;
  power: ChassisPower;
  reachability: BmcReachability;
  powerDelayMs: number;
}

/** What each action does to the power state (VirtualBMC semantics; cycle powers on whatever the start state). */
function powerAfter(action: PowerAction, before: ChassisPower): ChassisPower {
  switch (action) {
    case 'off':
    case 'soft':
      return 'off';
    case 'on':
    case 'cycle':
      return 'on';
    case 'reset':
    case 'diag':
      return before;
  }
}

export class FakeBmcBackend implements BmcBackend {
  readonly actions: RecordedAction[] = [];
  private readonly state = new Map<string, NodeState>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly powerDelayMs: number;

  constructor(nodes: readonly FakeNodeInit[], opts: FakeBmcBackendOptions = {}) {
    this.powerDelayMs = opts.powerDelayMs ?? 0;
    for (const n of nodes) {
      const node: BmcNode = {
        name: n.name,
        credentials: { username: n.username ?? 'admin', password: n.password ?? 'password' },
        ipmi: n.ipmi ?? true,
        redfish: n.redfish ?? true,
      };
      const powerDelayMs = n.powerDelayMs ?? this.powerDelayMs;
      this.state.set(n.name, { node, power: n.power ?? 'on', reachability: n.reachability ?? 'ok', powerDelayMs });
    }
  }

  private get(node: string): NodeState {
    const s = this.state.get(node);
    if (!s) throw new Error(`fake backend: unknown node ${node}`);
    return s;
  }

  nodes(): readonly BmcNode[] {
    return [...this.state.values()].map((s) => s.node);
  }

  reachability(node: string): BmcReachability {
    return this.get(node).reachability;
  }

  power(node: string): ChassisPower {
    return this.get(node).power;
  }

  setReachability(node: string, r: BmcReachability): void {
    this.get(node).reachability = r;
  }

  setPower(node: string, p: ChassisPower): void {
    this.get(node).power = p;
  }

  /** Snapshot of every node's power, for "state unchanged" assertions. */
  powerSnapshot(): Record<string, ChassisPower> {
    return Object.fromEntries([...this.state.entries()].map(([name, s]) => [name, s.power]));
  }

  powerAction(node: string, action: PowerAction, via: 'ipmi' | 'redfish'): Promise<void> {
    const s = this.get(node);
    this.actions.push({ node, action, via, atMs: Date.now() });
    const apply = (): void => {
      s.power = powerAfter(action, s.power);
    };
    if (s.powerDelayMs <= 0) {
      apply();
    } else {
      const t = setTimeout(() => {
        this.timers.delete(t);
        apply();
      }, s.powerDelayMs);
      this.timers.add(t);
    }
    return Promise.resolve();
  }

  /** Cancels pending power changes (call in afterEach/afterAll). */
  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
