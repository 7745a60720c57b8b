/**
 * The simulator's side of the differential: the scenario, same seed, with each fault as it truly happened in the
 * served world, at the simulated instant it did. A campaign's `host-power-loss` is a chassis power-off through
 * the BMC (harness/inject/fault-catalog.ts), not a loss of mains: the recovery design can power the host on
 * again, where the scenario's `host-power-loss` keeps it dead until `power-restore`. So the replay powers the
 * chassis off through its BMC (sim/world.ts `bmcAction`, mains kept) at the instant the campaign asked the served BMC; faults
 * made over SSH are the served world's own live faults (harness/serve/live-faults.ts), replayed as scenario
 * faults. The run ends at the sim time the served world was stopped, so both are judged over the same span.
 */
import { buildWorld } from '../../sim/build-world.js';
import type { FaultSpec, ScenarioSpec } from '../../sim/scenario-spec.js';
import type { RunReport } from '../../reports/report-types.js';
import type { World } from '../../sim/world.js';
import { SimHistory } from '../history/sim/sim-history.js';
import { judgedInvariants, judgeRun } from '../run/run-scenario.js';
import type { ServeHandle } from '../serve/serve.js';

export interface LandedFaults {
  /** Chassis power-offs the campaign made: the sim instant the host went off. */
  powerOffs: { host: string; via: 'ipmi' | 'redfish'; requestedAtMs: number; offAtMs: number }[];
  /** Faults made over SSH, as scenario faults at the instant they were injected. */
  faults: FaultSpec[];
  /** The served world's sim time when it was stopped. */
  endMs: number;
}

/** Reads from the served world what the campaign did to it, and when. Call before closing it. */
export function landedFaults(serve: ServeHandle): LandedFaults {
  const records = serve.world.trace.records;
  const powerOffs: LandedFaults['powerOffs'] = [];
  for (const a of serve.session.actions.actions) {
    const m = /^(\S+) power off$/.exec(a.what);
    if (!m || a.via === 'openstack') continue;
    const host = m[1]!;
    const off = records.find((r) => r.type === 'host.power_off' && r.entity === host && r.t >= a.atMs);
    powerOffs.push({ host, via: a.via, requestedAtMs: a.atMs, offAtMs: off ? off.t : a.atMs });
  }
  const faults: FaultSpec[] = serve.session.faults.injected.map((f) => ({
    atMs: f.atMs, kind: f.kind, target: { pool: [...f.targets], text: f.targets.join(',') },
    ...(f.undoneAtMs !== null ? { durationMs: f.undoneAtMs - f.atMs } : {}),
  }));
  return { powerOffs, faults, endMs: serve.world.kernel.now };
}

/** Sim ms from an instance's failure to what the campaign's observers can see: the same milestones as live-outcomes.ts. */
export interface Milestones { markedDownMs: number | null; activeElsewhereMs: number | null; servingMs: number | null }

/**
 * The milestones of each failed instance, from the replay's trace: Nova forces (or its timeout marks) the source's
 * service down, the evacuation's rebuild finishes (Nova shows it ACTIVE on the target), it serves again.
 */
function milestonesOf(world: World, report: RunReport): Map<string, Milestones> {
  const out = new Map<string, Milestones>();
  const records = world.trace.records;
  for (const o of report.instances) {
    if (o.failedAtMs === null) continue;
    const from = o.failedAtMs;
    const rel = (t: number | undefined): number | null => (t === undefined ? null : t - from);
    const down = records.find((r) => r.t >= from && r.type === 'nova.service.update' && r.entity === o.fromHost && r['forcedDown'] === true);
    const done = records.find((r) => r.t >= from && r.type === 'nova.evacuate.done' && r.entity === o.name);
    out.set(o.name, { markedDownMs: rel(down?.t), activeElsewhereMs: rel(done?.t), servingMs: o.recoveredAtMs === null ? null : o.recoveredAtMs - from });
  }
  return out;
}

/**
 * A chassis power-off through the BMC, as the served BMC carries it out (harness/serve/world-bmc-backend.ts
 * `powerAction`): its latency is drawn from the `fencing` stream, the one the recovery design's fence agent
 * draws from, so the replay must draw the same numbers in the same order or every later fence would differ.
 */
function bmcPowerOff(world: World, node: string, via: 'ipmi' | 'redfish'): void {
  const bmc = world.bmcs.get(node);
  if (!bmc) return;
  const extra = bmc.extraLatency ? world.draw('fencing', bmc.extraLatency) : 0;
  world.bmcAction(bmc, 'off', world.draw('fencing', world.config.fencing[via].actionTimeMs) + extra);
}

/** Runs the scenario (without its own faults) with the landed faults, until the served world's end. */
export function replayInSim(spec: ScenarioSpec, landed: LandedFaults): { report: RunReport; milestones: Map<string, Milestones> } {
  const replay: ScenarioSpec = { ...spec, faults: landed.faults, durationMs: landed.endMs };
  const judged = judgedInvariants(replay);
  const history = new SimHistory(judged, { record: false, seed: replay.seed });
  const world = buildWorld(replay, { seed: replay.seed, trace: true, probe: history, defects: [] });
  history.attach(world);
  for (const p of landed.powerOffs) world.kernel.at(p.requestedAtMs, () => bmcPowerOff(world, p.host, p.via));
  world.kernel.run(replay.durationMs);
  const report = judgeRun(world, history, { seed: replay.seed, judged });
  return { report, milestones: milestonesOf(world, report) };
}
