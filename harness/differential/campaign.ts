/**
 * The campaign that replays a scenario's faults against `ihasim serve` of the same scenario: every fault the
 * served BMCs or SSH servers can take (harness/inject/fault-catalog.ts), one campaign fault per target host, at
 * the wall time that lands it at the scenario's simulated time, given the served clock's speed.
 */
import type { FaultSpec, ScenarioSpec } from '../../sim/scenario-spec.js';
import type { ServeEndpoints } from '../serve/endpoints.js';

/** Fault kinds the differential can replay live, and how: the BMC or SSH. */
/** Sim ms between two polls of Nova and the BMCs. */
export const NOVA_POLL_MS = 5_000;

export const REPLAYABLE: Readonly<Record<string, 'bmc' | 'ssh'>> = { 'host-power-loss': 'bmc', 'nova-compute-crash': 'ssh' };

export interface DifferentialCampaignOptions {
  spec: ScenarioSpec;
  endpoints: ServeEndpoints;
  speed: number;
  /** The served sim time (ms) when the campaign starts: a fault at sim time T is at (T - this) / speed wall. */
  startSimMs: number;
  keyFile: string;
  passwordEnv: string;
  collectorPort: number;
  /** Sim ms between two heartbeats of one canary. */
  heartbeatMs: number;
  /** Sim ms to keep observing after the last fault. */
  observeSimMs: number;
}

/** Why a scenario's fault cannot be replayed live, or null. */
export function unreplayable(f: FaultSpec): string | null {
  if (!REPLAYABLE[f.kind]) return `${f.kind} has no live replay (the differential replays ${Object.keys(REPLAYABLE).join(', ')})`;
  if (!f.target || f.target.count !== undefined || f.target.onHosts) return `${f.kind} at ${f.atMs} ms: only a fault on named hosts (or a rack, an az) can be replayed`;
  return null;
}

const wall = (simMs: number, speed: number): string => `${Math.max(0, Math.round(simMs / speed))}ms`;

export function differentialCampaign(o: DifferentialCampaignOptions): string {
  const { spec, speed } = o;
  const faults = spec.faults.flatMap((f) => f.target!.pool.map((host) => {
    const duration = f.durationMs !== undefined ? `, duration: ${wall(f.durationMs, speed)}` : '';
    return `  - { at: ${wall(f.atMs - o.startSimMs, speed)}, kind: ${f.kind}, target: ${host}${duration} }`;
  }));
  const lastSim = Math.max(...spec.faults.map((f) => f.atMs + (f.durationMs ?? 0)));
  const inventory = o.endpoints.nodes.map((n) => `  ${n.name}:
    allowed: true
    bmc: { kind: ipmi, address: 127.0.0.1, port: ${n.ipmiPort}, username: ${n.username}, passwordEnv: ${o.passwordEnv} }
    ssh: { address: 127.0.0.1, port: ${n.sshPort}, user: root, keyFile: ${o.keyFile} }`).join('\n');
  const hosts = o.endpoints.nodes.length;
  return `ihasim: 1
name: differential-${spec.name}
cloud: { name: ihasim }
inventory:
${inventory}
faults:
${faults.join('\n')}
canaries: { servers: ["*"], collector: { bind: 127.0.0.1, port: ${o.collectorPort} }, interval: ${wall(o.heartbeatMs, speed)} }
limits: { maxHostsDown: ${hosts}, maxAzFraction: 1, apiRatePerSecond: 200, pollInterval: ${wall(NOVA_POLL_MS, speed)}, wallClockLimit: 10m, canaryOutageBound: 10m }
# A campaign sees no fence results when the recovery runs inside the served world (only BMC power readings), so
# fence-before-evacuate cannot hold on its history; the outcomes are what the differential compares.
expect: { invariants: [no-double-run, opt-in-respected, servers-placed] }
settle: ${wall(o.observeSimMs - Math.max(0, lastSim - Math.max(...spec.faults.map((f) => f.atMs))), speed)}
`;
}
