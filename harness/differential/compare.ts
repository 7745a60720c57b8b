/**
 * Sim vs live, per instance: the outcome must be the same, and the downtime within the tolerance. A
 * disagreement names the instance and the first phase where the two diverge (detect+fence+mark-down, evacuate,
 * boot), from the simulator's phases and the milestones the campaign's observers saw.
 */
import type { InstanceOutcome } from '../../reports/report-types.js';
import type { LiveOutcome } from './live-outcomes.js';
import type { Milestones } from './sim-replay.js';

export interface Tolerance {
  /** Live gap minus sim downtime may be as low as this (ms, negative)… */
  minMs: number;
  /** …and as high as this. */
  maxMs: number;
  /** A live milestone (from the last heartbeat) may trail the simulator's (from the failure) by up to this. */
  milestoneMs: number;
}

export interface InstanceDelta {
  name: string;
  sim: string;
  live: string;
  simDowntimeMs: number | null;
  liveGapMs: number | null;
  /** live gap − sim downtime. */
  deltaMs: number | null;
}

export interface Disagreement { instance: string; phase: string; message: string }

type OutcomeClass = 'unaffected' | 'recovered' | 'not-recovered';

function simClass(o: InstanceOutcome | undefined): OutcomeClass {
  if (!o || o.outcome === 'unaffected' || o.outages === 0) return 'unaffected';
  if (o.outcome === 'not-recovered') return 'not-recovered';
  return 'recovered';
}

/** Milestones in order, named by the run report's phases that end at them. */
const PHASES = [
  { name: 'detect+fence+mark-down', key: 'markedDownMs' },
  { name: 'evacuate', key: 'activeElsewhereMs' },
  { name: 'boot', key: 'servingMs' },
] as const;

/** The first phase whose end the live side saw outside the milestone tolerance (else the last one). */
function divergingPhase(sim: Milestones | undefined, live: LiveOutcome, tol: Tolerance): string {
  if (!sim) return 'detect+fence+mark-down (the simulator saw no failure)';
  const seen: string[] = [];
  for (const ph of PHASES) {
    const s = sim[ph.key];
    const l = live.milestones[ph.key];
    seen.push(`${ph.name} ends: sim +${ms(s)}, live +${l === null ? 'not seen' : ms(l)}`);
    if (s === null && l === null) continue;
    if (s === null || l === null || l - s > tol.milestoneMs || l - s < tol.minMs) return `${ph.name} (${seen.join('; ')})`;
  }
  return `boot (${seen.join('; ')})`;
}

const ms = (x: number | null): string => (x === null ? '-' : `${(x / 1000).toFixed(1)} s`);

export function compareOutcomes(simInstances: readonly InstanceOutcome[], simMilestones: ReadonlyMap<string, Milestones>, live: readonly LiveOutcome[], tol: Tolerance): { deltas: InstanceDelta[]; disagreements: Disagreement[] } {
  const byName = new Map(simInstances.map((o) => [o.name, o]));
  const deltas: InstanceDelta[] = [];
  const disagreements: Disagreement[] = [];
  for (const l of live) {
    const s = byName.get(l.name);
    const sc = simClass(s);
    const simDowntime = sc === 'recovered' ? (s!.downtimeMs ?? null) : null;
    const delta = simDowntime !== null && l.gapMs !== null ? l.gapMs - simDowntime : null;
    deltas.push({ name: l.name, sim: sc + (s?.reason ? ` (${s.reason})` : ''), live: l.outcome, simDowntimeMs: simDowntime, liveGapMs: l.gapMs, deltaMs: delta });
    if (sc !== l.outcome) {
      const phase = sc !== 'unaffected' ? divergingPhase(simMilestones.get(l.name), l, tol) : 'detect+fence+mark-down (the live side saw an outage the simulator did not)';
      disagreements.push({ instance: l.name, phase, message: `${l.name}: sim ${sc}${s?.reason ? ` (${s.reason})` : ''}, live ${l.outcome}${l.vmState ? ` (Nova: ${l.vmState})` : ''}; diverges at ${phase}` });
    } else if (delta !== null && (delta < tol.minMs || delta > tol.maxMs)) {
      const phase = divergingPhase(simMilestones.get(l.name), l, tol);
      disagreements.push({ instance: l.name, phase, message: `${l.name}: downtime sim ${ms(simDowntime)}, live ${ms(l.gapMs)} (Δ ${ms(delta)} outside [${ms(tol.minMs)}, ${ms(tol.maxMs)}]); diverges at ${phase}` });
    }
  }
  return { deltas, disagreements };
}

/**
 * The served world against the simulator's replay, before any observation: both run the same code on the same
 * seed with the same faults at the same instants, so their outcomes and downtimes must be equal to the ms. A
 * difference here is the served world's (its real-time driver or its protocol front ends changed the world); a
 * difference only in {@link compareOutcomes} is the live observation's (the campaign's observers or canaries).
 */
export function compareWorlds(simInstances: readonly InstanceOutcome[], servedInstances: readonly InstanceOutcome[]): Disagreement[] {
  const served = new Map(servedInstances.map((o) => [o.name, o]));
  const names = new Set([...simInstances.map((o) => o.name), ...served.keys()]);
  const sim = new Map(simInstances.map((o) => [o.name, o]));
  const out: Disagreement[] = [];
  const show = (o: InstanceOutcome | undefined) => (o ? `${o.outcome}${o.reason ? ` (${o.reason})` : ''}, failed ${o.failedAtMs} ms, recovered ${o.recoveredAtMs} ms` : 'unaffected');
  for (const name of [...names].sort()) {
    const a = sim.get(name);
    const b = served.get(name);
    if (a?.outcome === b?.outcome && a?.reason === b?.reason && a?.failedAtMs === b?.failedAtMs && a?.recoveredAtMs === b?.recoveredAtMs) continue;
    const phase = a?.failedAtMs !== b?.failedAtMs ? 'the failure itself' : 'recovery';
    out.push({ instance: name, phase, message: `${name}: the served world diverges from the simulator at ${phase}: sim ${show(a)}; served ${show(b)}` });
  }
  return out;
}
