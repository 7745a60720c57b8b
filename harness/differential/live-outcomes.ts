/**
 * Per-instance outcomes as a campaign saw them, from its history: a canary whose heartbeats stop for longer than
 * `gapHeartbeats` periods had an outage; it recovered if they resumed before the campaign ended. Its milestones
 * (Nova marks the host's service down, Nova shows the server ACTIVE elsewhere, heartbeats resume) split the
 * outage into the phases the run report has, so a disagreement can name one. Times are converted to sim ms:
 * wall ms since the campaign start × speed.
 */
import type { Observation } from '../history/observation.js';

export interface LiveOutcome {
  name: string;
  outcome: 'unaffected' | 'recovered' | 'not-recovered';
  /** Sim ms from the last heartbeat before the outage to the first after it; null without an outage. */
  gapMs: number | null;
  /** Where heartbeats came from before and after. */
  fromHost: string | null;
  toHost: string | null;
  /** Sim ms from the last heartbeat before the outage to each milestone the observers saw, or null. */
  milestones: { markedDownMs: number | null; activeElsewhereMs: number | null; servingMs: number | null };
  /** Nova's last vm_state of the server. */
  vmState: string | null;
}

interface Beat { t: number; host: string | undefined }

export function liveOutcomes(observations: readonly Observation[], speed: number, heartbeatWallMs: number, gapHeartbeats = 3): LiveOutcome[] {
  const beats = new Map<string, Beat[]>();
  const vmStates = new Map<string, string>();
  for (const o of observations) {
    if (o.kind === 'heartbeat') {
      const list = beats.get(o.instance) ?? [];
      list.push({ t: o.t, host: o.host });
      beats.set(o.instance, list);
    } else if (o.kind === 'nova-server') vmStates.set(o.instance, o.vmState);
  }
  const end = observations.reduce((m, o) => Math.max(m, o.t), 0);
  const out: LiveOutcome[] = [];
  for (const [name, list] of [...beats].sort(([a], [b]) => a.localeCompare(b))) {
    // The observers name a heartbeat by its server once a Nova poll listed it; those before carry the uuid.
    if (!vmStates.has(name)) continue;
    list.sort((a, b) => a.t - b.t);
    const vmState = vmStates.get(name) ?? null;
    const limit = gapHeartbeats * heartbeatWallMs;
    let i = list.findIndex((b, k) => k + 1 < list.length && list[k + 1]!.t - b.t > limit);
    const last = list.at(-1)!;
    if (i < 0 && end - last.t > limit) i = list.length - 1; // silent at the end: never came back
    if (i < 0) {
      out.push({ name, outcome: 'unaffected', gapMs: null, fromHost: last.host ?? null, toHost: last.host ?? null, milestones: { markedDownMs: null, activeElsewhereMs: null, servingMs: null }, vmState });
      continue;
    }
    const before = list[i]!;
    const after = list[i + 1];
    const rel = (t: number | null): number | null => (t === null ? null : Math.round((t - before.t) * speed));
    out.push({
      name, outcome: after ? 'recovered' : 'not-recovered', gapMs: after ? rel(after.t) : null,
      fromHost: before.host ?? null, toHost: after?.host ?? null, vmState,
      milestones: {
        // The recovery design forces the service down once the host is fenced; without that, Nova's own timeout.
        markedDownMs: rel(firstAfter(observations, before.t, (o) => o.kind === 'nova-service' && o.host === before.host && o.forcedDown)
          ?? firstAfter(observations, before.t, (o) => o.kind === 'nova-service' && o.host === before.host && o.state === 'down')),
        activeElsewhereMs: rel(firstAfter(observations, before.t, (o) => o.kind === 'nova-server' && o.instance === name && o.vmState === 'active' && o.host !== before.host)),
        servingMs: rel(after?.t ?? null),
      },
    });
  }
  return out;
}

function firstAfter(observations: readonly Observation[], t: number, match: (o: Observation) => boolean): number | null {
  for (const o of observations) if (o.t >= t && match(o)) return o.t;
  return null;
}
