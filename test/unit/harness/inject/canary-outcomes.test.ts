import { describe, expect, it } from 'vitest';
import type { HeaderObservation, Observation } from '../../../../harness/history/observation.js';
import { canaryOutcomes, canaryRecovery } from '../../../../harness/inject/canary-outcomes.js';

const S = 1000;
const header: HeaderObservation = {
  t: 0, source: 'harness', kind: 'header', history: 1, mode: 'inject', scenario: 'staging', judged: [], expectedViolations: [],
  allowedReasons: [], healedAtMs: 0, settleMs: 0, filter: 'all', heartbeat: { intervalMs: S },
  instances: [{ name: 'moved', uuid: 'u-1', eligible: true }, { name: 'cut', uuid: 'u-2', eligible: true }, { name: 'lost', uuid: 'u-3', eligible: true }, { name: 'fine', uuid: 'u-4', eligible: true }],
};
const beats = (instance: string, bootId: string, host: string, from: number, to: number): Observation[] => {
  const out: Observation[] = [];
  for (let t = from; t <= to; t += S) out.push({ t, source: 'canary', kind: 'heartbeat', instance, bootId, host });
  return out;
};

describe("the campaign report's instances, from the canaries' heartbeats", () => {
  it('a new boot after a silence is recovered where it beats now; the same boot is self-healed; silence to the end is not recovered; no silence is not listed', () => {
    const obs = [header, ...[
      ...beats('moved', 'b1', 'c1', 0, 10 * S), ...beats('moved', 'b2', 'c5', 40 * S, 60 * S),
      ...beats('cut', 'b3', 'c2', 0, 5 * S), ...beats('cut', 'b3', 'c2', 9 * S, 60 * S),
      ...beats('lost', 'b4', 'c3', 0, 10 * S), ...beats('fine', 'b5', 'c4', 0, 60 * S),
    ].sort((a, b) => a.t - b.t), { t: 60 * S, source: 'harness', kind: 'end', settled: true } as Observation];
    const outcomes = canaryOutcomes(obs);
    expect(outcomes.map((o) => [o.name, o.outcome, o.fromHost, o.toHost, o.downtimeMs, o.reason])).toEqual([
      ['moved', 'recovered', 'c1', 'c5', 30 * S, null],
      ['cut', 'self-healed', 'c2', 'c2', 4 * S, null],
      ['lost', 'not-recovered', 'c3', null, null, 'still-recovering'],
    ]);
    expect(canaryRecovery(outcomes)).toEqual({ count: 1, p50Ms: 30 * S, p95Ms: 30 * S, p99Ms: 30 * S, maxMs: 30 * S, meanMs: 30 * S });
  });
});
