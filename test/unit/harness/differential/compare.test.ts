import { describe, expect, it } from 'vitest';
import type { InstanceOutcome } from '../../../../reports/report-types.js';
import { compareOutcomes } from '../../../../harness/differential/compare.js';
import type { LiveOutcome } from '../../../../harness/differential/live-outcomes.js';
import { tolerance } from '../../../../harness/differential/run-differential.js';

const sim = (name: string, over: Partial<InstanceOutcome> = {}): InstanceOutcome => ({
  name, uuid: name, outcome: 'recovered', reason: null, fromHost: 'compute-03', toHost: 'compute-01', failedAtMs: 100_000,
  recoveredAtMs: 180_000, downtimeMs: 80_000, outageMs: 80_000, outages: 1, outageCause: 'host-off', phases: null, ...over,
});
const live = (name: string, over: Partial<LiveOutcome> = {}): LiveOutcome => ({
  name, outcome: 'recovered', gapMs: 84_000, fromHost: 'compute-03', toHost: 'compute-01', vmState: 'active',
  milestones: { markedDownMs: 47_000, activeElsewhereMs: 52_000, servingMs: 84_000 }, ...over,
});
const simMilestones = new Map([['vm-1', { markedDownMs: 45_000, activeElsewhereMs: 50_000, servingMs: 80_000 }]]);
const tol = tolerance(30, 5_000, 100);

describe('differential comparison', () => {
  it('the tolerance follows from the heartbeat period, the driver tick and the lag at the given speed', () => {
    // 2 × (50 ms tick + 100 ms lag) × 30 = 9 s of sim time either way; heartbeats add up to 2 × 5 s late.
    expect(tol).toEqual({ minMs: -9_000, maxMs: 19_000, milestoneMs: 24_000 });
  });

  it('agrees when outcomes match and the live gap is within the tolerance of the downtime', () => {
    const r = compareOutcomes([sim('vm-1')], simMilestones, [live('vm-1'), live('vm-2', { outcome: 'unaffected', gapMs: null })], tol);
    expect(r.disagreements).toEqual([]);
    expect(r.deltas[0]).toMatchObject({ name: 'vm-1', deltaMs: 4_000 });
  });

  it('names the instance and the phase where the live run diverged', () => {
    const slowEvacuation = live('vm-1', { gapMs: 130_000, milestones: { markedDownMs: 46_000, activeElsewhereMs: 95_000, servingMs: 130_000 } });
    const r = compareOutcomes([sim('vm-1')], simMilestones, [slowEvacuation], tol);
    expect(r.disagreements).toHaveLength(1);
    expect(r.disagreements[0]).toMatchObject({ instance: 'vm-1' });
    expect(r.disagreements[0]!.phase).toMatch(/^evacuate \(/);
    expect(r.disagreements[0]!.message).toMatch(/vm-1: downtime sim 80\.0 s, live 130\.0 s/);
  });

  it('an outcome that differs is a disagreement, even with no downtime to compare', () => {
    const r = compareOutcomes([sim('vm-1')], simMilestones, [live('vm-1', { outcome: 'not-recovered', gapMs: null, milestones: { markedDownMs: 46_000, activeElsewhereMs: null, servingMs: null } })], tol);
    expect(r.disagreements[0]!.message).toMatch(/^vm-1: sim recovered, live not-recovered \(Nova: active\); diverges at evacuate/);
  });
});
