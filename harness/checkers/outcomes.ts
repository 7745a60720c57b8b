import type { NotRecoveredReason } from '../../reports/reasons.js';
import type { HostIncident } from '../../sim/incidents.js';
import type { Instance } from '../../sim/instance.js';
import type { World } from '../../sim/world.js';
import type { InstanceOutcome, Phases } from '../../reports/report-types.js';
import type { SafetyChecker } from './safety.js';

/** The incident of the host an instance failed on, the latest that began at or before its failure. */
function incidentOf(world: World, inst: Instance): HostIncident | undefined {
  const m = inst.milestones;
  if (m.failedOn === null || m.failedAtMs === null) return undefined;
  let found: HostIncident | undefined;
  for (const inc of world.incidents.all) if (inc.host === m.failedOn && inc.faultAtMs <= m.failedAtMs) found = inc;
  return found;
}

const gap = (from: number | null, to: number | null): number | null => (from === null || to === null ? null : Math.max(0, to - from));

/** The critical path of a recovery: each phase measured from the previous milestone. */
export function phasesOf(world: World, inst: Instance): Phases | null {
  const inc = incidentOf(world, inst);
  const m = inst.milestones;
  if (!inc) return null;
  return {
    detectMs: gap(inc.faultAtMs, inc.detectedAtMs),
    fenceMs: gap(inc.detectedAtMs, inc.fenceConfirmedAtMs),
    markDownMs: gap(inc.fenceConfirmedAtMs ?? inc.detectedAtMs, inc.markedDownAtMs),
    evacuateMs: gap(inc.markedDownAtMs, m.evacuateAcceptedAtMs),
    bootMs: gap(m.evacuateAcceptedAtMs, m.recoveredAtMs),
  };
}

/**
 * Why an instance that failed is not serving at the end: exactly one reason (reports/reasons.ts), the first that
 * applies.
 */
export function reasonNotRecovered(world: World, inst: Instance, safety: SafetyChecker): NotRecoveredReason {
  const policy = world.spec.recovery.policy;
  const inc = incidentOf(world, inst);
  const lastMigration = world.nova.migrationsTable.latestFor(inst.uuid);
  if (inst.domains.some((d) => d.state === 'shutoff' || d.state === 'paused')) return `watchdog-${inst.watchdog}` as NotRecoveredReason;
  if (inst.domains.some((d) => d.state === 'panicked' || d.state === 'hung')) return 'guest-dead-no-watchdog-action';
  if (!safety.isEligible(inst)) return 'not-opted-in';
  if (inst.spec.storage === 'local' && !world.spec.recovery.evacuateLocal) return 'local-disk-policy';
  if (policy === 'notify') return 'policy-notify-only';
  if (inc && inc.fenceFailures > 0 && inc.fenceConfirmedAtMs === null) return 'fencing-impossible';
  if (lastMigration?.status === 'error') return 'no-capacity';
  if (world.nova.rebuildLost(inst)) return 'rebuild-lost';
  if (world.pacemaker.view.actingDcs.length === 0 && policy !== 'no-fence' && policy !== 'external') return 'no-quorum';
  if (world.nova.rebuildPending(inst)) return 'still-recovering';
  if (lastMigration && ['accepted', 'pre-migrating', 'done'].includes(lastMigration.status)) return 'still-recovering';
  if (policy === 'none') return 'operator-not-yet-acted';
  return 'not-evacuated';
}

export function outcomeOf(world: World, inst: Instance, safety: SafetyChecker): InstanceOutcome {
  const m = inst.milestones;
  const o: InstanceOutcome = {
    name: inst.name, uuid: inst.uuid, outcome: 'unaffected', reason: null, fromHost: m.failedOn,
    toHost: inst.executingHost() ?? inst.nova.host, failedAtMs: m.failedAtMs, recoveredAtMs: m.recoveredAtMs,
    downtimeMs: null, phases: null,
  };
  if (inst.neverPlaced) return { ...o, outcome: 'never-placed', reason: 'no-valid-host', toHost: null };
  if (m.failedAtMs === null) return o;
  if (m.recoveredAtMs !== null) {
    o.outcome = m.evacuations === 0 ? 'self-healed' : m.dataLost ? 'recovered-data-lost' : 'recovered';
    o.downtimeMs = m.recoveredAtMs - m.failedAtMs;
    if (m.evacuations) o.phases = phasesOf(world, inst);
    return o;
  }
  o.outcome = 'not-recovered';
  o.reason = reasonNotRecovered(world, inst, safety);
  o.phases = phasesOf(world, inst);
  return o;
}
