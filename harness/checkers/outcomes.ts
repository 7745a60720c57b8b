import type { NotRecoveredReason } from '../../reports/reasons.js';
import type { HostIncident } from '../../sim/incidents.js';
import type { Instance } from '../../sim/instance.js';
import type { World } from '../../sim/world.js';
import type { InstanceOutcome, Phases } from '../../reports/report-types.js';

/** Who judges eligibility for the reasons (the history's probe: from the scenario, not the recovery logic). */
interface Eligibility { isEligible(inst: Instance): boolean }

/** The incident of the host an instance failed on, the latest that began at or before its failure. */
function incidentOf(world: World, inst: Instance): HostIncident | undefined {
  const m = inst.milestones;
  if (m.failedOn === null || m.failedAtMs === null) return undefined;
  let found: HostIncident | undefined;
  for (const inc of world.incidents.all) if (inc.host === m.failedOn && inc.faultAtMs <= m.failedAtMs) found = inc;
  return found;
}

/**
 * The critical path of a recovery, inside the outage. Each milestone is clipped to the running maximum of the ones
 * before it, starting from the moment the instance stopped serving: work done while it still served (a mgmt
 * partition is detected and fenced while its guests run) costs its users nothing, so the phases add up to the
 * downtime exactly. A milestone not reached is null, and the next phase runs from the last one reached.
 */
export function phasesOf(world: World, inst: Instance): Phases | null {
  const inc = incidentOf(world, inst);
  const m = inst.milestones;
  if (!inc || m.failedAtMs === null) return null;
  // Each `reached` is the running maximum after one milestone (plain steps, no closure: once per recovered instance).
  const failed = m.failedAtMs;
  const detected = reached(failed, inc.detectedAtMs);
  const fenced = reached(detected, inc.fenceConfirmedAtMs);
  const markedDown = reached(fenced, inc.markedDownAtMs);
  const evacuated = reached(markedDown, m.evacuateAcceptedAtMs);
  return {
    detectMs: phase(failed, detected, inc.detectedAtMs),
    fenceMs: phase(detected, fenced, inc.fenceConfirmedAtMs),
    markDownMs: phase(fenced, markedDown, inc.markedDownAtMs),
    evacuateMs: phase(markedDown, evacuated, m.evacuateAcceptedAtMs),
    bootMs: phase(evacuated, reached(evacuated, m.recoveredAtMs), m.recoveredAtMs),
  };
}

/** The critical path's time after a milestone at `at` (null: not reached, the path stays where it was). */
function reached(last: number, at: number | null): number {
  return at === null ? last : Math.max(last, at);
}

/** A phase's length: from the path's time before its milestone to after it; null when the milestone was not reached. */
function phase(before: number, after: number, at: number | null): number | null {
  return at === null ? null : after - before;
}

/**
 * Why an instance that failed is not serving at the end: exactly one reason (reports/reasons.ts), the first that
 * applies.
 */
export function reasonNotRecovered(world: World, inst: Instance, safety: Eligibility): NotRecoveredReason {
  const caps = world.designDefinition.capabilities;
  const inc = incidentOf(world, inst);
  const lastMigration = world.nova.migrationsTable.latestFor(inst.uuid);
  if (inst.domains.some((d) => d.state === 'shutoff' || d.state === 'paused')) return `watchdog-${inst.watchdog}` as NotRecoveredReason;
  if (inst.domains.some((d) => d.state === 'panicked' || d.state === 'hung')) return 'guest-dead-no-watchdog-action';
  if (!safety.isEligible(inst)) return 'not-opted-in';
  if (inst.spec.storage === 'local' && !world.spec.recovery.evacuateLocal) return 'local-disk-policy';
  if (caps.evacuation === 'notify-only') return 'policy-notify-only';
  if (inc && inc.fenceFailures > 0 && inc.fenceConfirmedAtMs === null) return 'fencing-impossible';
  if (lastMigration?.status === 'error') return 'no-capacity';
  if (world.nova.rebuildLost(inst)) return 'rebuild-lost';
  if (world.pacemaker.view.actingDcs.length === 0 && caps.needsQuorum) return 'no-quorum';
  if (world.nova.rebuildWaitsOnDeadHost(inst)) return 'rebuild-queued-on-dead-host';
  if (world.nova.rebuildPending(inst)) return 'still-recovering';
  if (lastMigration && ['accepted', 'pre-migrating', 'done'].includes(lastMigration.status)) return 'still-recovering';
  if (caps.evacuation === 'operator') return 'operator-not-yet-acted';
  return 'not-evacuated';
}

export function outcomeOf(world: World, inst: Instance, safety: Eligibility): InstanceOutcome {
  const m = inst.milestones;
  const o: InstanceOutcome = {
    name: inst.name, uuid: inst.uuid, outcome: 'unaffected', reason: null, fromHost: m.failedOn,
    toHost: inst.executingHost() ?? inst.nova.host, failedAtMs: m.failedAtMs, recoveredAtMs: m.recoveredAtMs,
    downtimeMs: null, outageMs: null, outages: m.earlierOutages, outageCause: m.outageCause, phases: null,
  };
  if (inst.neverPlaced) return { ...o, outcome: 'never-placed', reason: 'no-valid-host', toHost: null };
  if (m.failedAtMs === null) return o;
  o.outages++;
  if (m.recoveredAtMs !== null) {
    o.outcome = m.evacuations === 0 ? 'self-healed' : m.dataLost ? 'recovered-data-lost' : 'recovered';
    o.downtimeMs = m.recoveredAtMs - m.failedAtMs;
    o.outageMs = m.earlierOutageMs + o.downtimeMs;
    if (m.evacuations) o.phases = phasesOf(world, inst);
    return o;
  }
  o.outageMs = m.earlierOutageMs + world.kernel.now - m.failedAtMs;
  o.outcome = 'not-recovered';
  o.reason = reasonNotRecovered(world, inst, safety);
  o.phases = phasesOf(world, inst);
  return o;
}
