/**
 * What the campaign's report says of each instance, from its canary's heartbeats (the only view of a live guest
 * the harness trusts): a canary that fell silent longer than the heartbeat window was affected; heard again with a
 * new boot id, it recovered (on the host it beat from last); with the same boot id, it never stopped, users only
 * could not reach it (self-healed: a tenant cut); never heard again, it is not recovered. What silenced it the
 * harness cannot tell, so outageCause stays null. Instances without a canary are left out:
 * Nova's word that a server is ACTIVE says nothing of whether its guest runs.
 */
import type { InstanceOutcome, RunMetrics } from '../../reports/report-types.js';
import { heartbeatOutages } from '../history/checkers/outages.js';
import type { HeaderObservation, HeartbeatObservation, Observation } from '../history/observation.js';

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** One outcome per canary that had an outage, in the header's instance order. */
export function canaryOutcomes(observations: readonly Observation[]): InstanceOutcome[] {
  const header = observations[0] as HeaderObservation;
  const endT = observations.at(-1)!.t;
  const outages = heartbeatOutages(observations, header, endT);
  const lastHost = new Map<string, string | undefined>();
  const bootAt = new Map<string, string>();
  for (const o of observations) {
    if (o.kind !== 'heartbeat') continue;
    const beat = o as HeartbeatObservation;
    lastHost.set(beat.instance, beat.host);
    bootAt.set(`${beat.instance}@${beat.t}`, beat.bootId);
  }
  const out: InstanceOutcome[] = [];
  for (const inst of header.instances) {
    const list = outages.get(inst.name) ?? [];
    if (list.length === 0) continue;
    const latest = list.at(-1)!;
    const recovered = latest.toMs !== null;
    const sameBoot = recovered && bootAt.get(`${inst.name}@${latest.fromMs}`) === bootAt.get(`${inst.name}@${latest.toMs}`);
    const downtime = recovered ? latest.toMs! - latest.fromMs : null;
    out.push({
      name: inst.name, uuid: inst.uuid ?? '', outcome: !recovered ? 'not-recovered' : sameBoot ? 'self-healed' : 'recovered', reason: recovered ? null : 'still-recovering',
      fromHost: latest.host ?? null, toHost: recovered ? lastHost.get(inst.name) ?? null : null,
      failedAtMs: latest.fromMs, recoveredAtMs: latest.toMs, downtimeMs: downtime,
      outageMs: list.reduce((sum, o) => sum + ((o.toMs ?? endT) - o.fromMs), 0), outages: list.length,
      outageCause: null, phases: null,
    });
  }
  return out;
}

/** The report's recovery figures over the canaries' outcomes. */
export function canaryRecovery(outcomes: readonly InstanceOutcome[]): RunMetrics['recovery'] {
  const downtimes = outcomes.filter((o) => o.outcome === 'recovered').map((o) => o.downtimeMs!).sort((a, b) => a - b);
  return {
    count: downtimes.length, p50Ms: percentile(downtimes, 50), p95Ms: percentile(downtimes, 95), p99Ms: percentile(downtimes, 99),
    maxMs: downtimes.at(-1) ?? null, meanMs: downtimes.length ? downtimes.reduce((a, b) => a + b, 0) / downtimes.length : null,
  };
}
