import { describe, expect, it } from 'vitest';
import { judgeObservations } from '../../../../harness/cli/judge-command.js';
import type { HeaderObservation, Observation } from '../../../../harness/history/observation.js';
import { HistoryJudge } from '../../../../harness/history/judge.js';
import { INVARIANT_LIST } from '../../../../harness/checkers/invariant-list.js';

const S = 1000;

/** A live (`inject`) history's header: two opted-in instances with canaries beating every 10 s. */
function header(over: Partial<HeaderObservation> = {}): HeaderObservation {
  return {
    t: 0, source: 'harness', kind: 'header', history: 1, mode: 'inject', scenario: 'staging', judged: [...INVARIANT_LIST],
    expectedViolations: [], allowedReasons: [], recoveryBoundMs: 120 * S, healedAtMs: 60 * S, settleMs: 60 * S,
    instances: [{ name: 'vm-a', eligible: true }, { name: 'vm-b', eligible: true }], filter: 'all',
    heartbeat: { intervalMs: 10 * S }, ...over,
  };
}

const beat = (t: number, instance: string, bootId: string, host: string): Observation => ({ t, source: 'canary', kind: 'heartbeat', instance, bootId, host });
const beats = (instance: string, bootId: string, host: string, from: number, to: number): Observation[] => {
  const out: Observation[] = [];
  for (let t = from; t <= to; t += 10 * S) out.push(beat(t, instance, bootId, host));
  return out;
};
const sorted = (obs: Observation[]) => [...obs].sort((a, b) => a.t - b.t);
/** The verdict of one invariant over a whole history. */
function verdictOf(obs: Observation[], name: string) {
  const judge = new HistoryJudge(obs[0] as HeaderObservation);
  for (const o of obs.slice(1)) judge.step(o);
  return judge.verdicts().find((v) => v.invariant === name)!;
}

describe('checkers over a live history', () => {
  it('no-double-run: two boot ids of one instance heard within two heartbeat intervals is a double run', () => {
    const obs = [header(), ...sorted([...beats('vm-a', 'boot-1', 'c1', 0, 200 * S), ...beats('vm-a', 'boot-2', 'c2', 95 * S, 200 * S)])];
    const v = verdictOf(obs, 'no-double-run');
    expect(v.status).toBe('fail');
    if (v.status === 'fail') expect(v.violations[0]!.entities).toEqual(['vm-a', 'c1', 'c2']);
  });

  it('no-double-run: a new boot heard after the old one fell silent for longer than the window is a recovery, not a double run', () => {
    const obs = [header(), ...beats('vm-a', 'boot-1', 'c1', 0, 60 * S), ...beats('vm-a', 'boot-2', 'c2', 90 * S, 300 * S), { t: 300 * S, source: 'harness', kind: 'end', settled: true } as Observation];
    expect(verdictOf(obs, 'no-double-run').status).toBe('pass');
    expect(verdictOf(obs, 'recovery-bounded').status).toBe('pass');
  });

  it('no-double-run: a domain last listed by virsh on a host its BMC then reads powered off does not run there any more', () => {
    const virsh = (t: number, phase: 'started' | 'stopped', host: string): Observation => ({ t, source: 'virsh', kind: 'domain', phase, instance: 'vm-a', host });
    const off: Observation = { t: 20 * S, source: 'bmc', kind: 'power', host: 'c1', state: 'off' };
    expect(verdictOf([header(), virsh(0, 'started', 'c1'), off, virsh(40 * S, 'started', 'c2')], 'no-double-run').status).toBe('pass');
    const v = verdictOf([header(), virsh(0, 'started', 'c1'), virsh(40 * S, 'started', 'c2')], 'no-double-run');
    expect(v.status).toBe('fail');
  });

  it('fence-before-evacuate without any fence observation: the BMC reading the source off since the instance started is the confirmation', () => {
    const evac: Observation = { t: 60 * S, source: 'nova', kind: 'evacuation', instance: 'vm-a', fromHost: 'c1' };
    const off: Observation = { t: 20 * S, source: 'bmc', kind: 'power', host: 'c1', state: 'off' };
    const started: Observation = { t: 30 * S, source: 'virsh', kind: 'domain', phase: 'started', instance: 'vm-a', host: 'c1' };
    expect(verdictOf([header(), off, evac], 'fence-before-evacuate').status).toBe('pass');
    // No reading of the source at all: nothing says it was fenced, nothing says it was not.
    expect(verdictOf([header(), evac], 'fence-before-evacuate').status).toBe('unknown');
    expect(verdictOf([header(), off, started, evac], 'fence-before-evacuate').status).toBe('fail');
    // With a fence observer in the history, its confirmation is required as before.
    const failedFence: Observation = { t: 10 * S, source: 'bmc', kind: 'fence', phase: 'result', host: 'c1', by: null, ok: false };
    expect(verdictOf([header(), failedFence, off, evac], 'fence-before-evacuate').status).toBe('fail');
  });

  it('recovery-bounded from heartbeat gaps: a silence longer than the bound fails, and says it used the canary', () => {
    const obs = [header(), ...beats('vm-a', 'boot-1', 'c1', 0, 60 * S), ...beats('vm-a', 'boot-2', 'c2', 250 * S, 400 * S), { t: 400 * S, source: 'harness', kind: 'end', settled: true } as Observation];
    const v = verdictOf(obs, 'recovery-bounded');
    expect(v.status).toBe('fail');
    if (v.status === 'fail') expect(v.violations[0]!.message).toMatch(/judged from canary heartbeats/);
  });

  it('what a live history cannot show is unknown, never a pass: no-split-writes, quorum-respected', () => {
    const obs = [header(), ...beats('vm-a', 'boot-1', 'c1', 0, 100 * S), { t: 100 * S, source: 'harness', kind: 'end', settled: true } as Observation];
    expect(verdictOf(obs, 'no-split-writes')).toMatchObject({ status: 'unknown', why: expect.stringContaining('storage observations') });
    expect(verdictOf(obs, 'quorum-respected').status).toBe('unknown');
  });

  it('a report whose required invariants include an unknown one is not a pass: exit 2, listed under unknown', () => {
    const obs = [header({ judged: ['no-double-run', 'no-split-writes'] }), ...beats('vm-a', 'boot-1', 'c1', 0, 100 * S), { t: 100 * S, source: 'harness', kind: 'end', settled: true } as Observation];
    const report = judgeObservations(obs, 'live.jsonl');
    expect(report.verdict).toBe('fail');
    expect(report.exitCode).toBe(2);
    expect(report.unknown).toEqual([{ invariant: 'no-split-writes', why: expect.any(String) }]);
    expect(report.failures).toEqual([expect.stringMatching(/^no-split-writes: unknown: /)]);
  });

  it('the same history judging only what it can show passes (exit 0)', () => {
    const obs = [header({ judged: ['no-double-run'] }), ...beats('vm-a', 'boot-1', 'c1', 0, 100 * S), { t: 100 * S, source: 'harness', kind: 'end', settled: true } as Observation];
    expect(judgeObservations(obs, 'live.jsonl')).toMatchObject({ verdict: 'pass', exitCode: 0 });
  });

  describe('fence-before-evacuate on BMC readings (recovery inside the cloud records no fence result)', () => {
    const power = (t: number, host: string, state: 'on' | 'off'): Observation => ({ t, source: 'bmc', kind: 'power', host, state });
    const evac = (t: number, instance: string, fromHost: string): Observation => ({ t, source: 'nova', kind: 'evacuation', instance, fromHost });
    const end: Observation = { t: 300 * S, source: 'harness', kind: 'end', settled: true } as Observation;

    it('passes when the source read off before the evacuation, or at the first poll after it', () => {
      expect(verdictOf([header(), power(5 * S, 'c1', 'on'), power(40 * S, 'c1', 'off'), evac(50 * S, 'vm-a', 'c1'), end], 'fence-before-evacuate').status).toBe('pass');
      expect(verdictOf([header(), power(5 * S, 'c1', 'on'), evac(50 * S, 'vm-a', 'c1'), power(55 * S, 'c1', 'off'), end], 'fence-before-evacuate').status).toBe('pass');
    });

    it('fails when the source was read and never off around the evacuation (a host still running: the double-run path)', () => {
      const v = verdictOf([header(), power(5 * S, 'c1', 'on'), evac(50 * S, 'vm-a', 'c1'), power(55 * S, 'c1', 'on'), power(65 * S, 'c1', 'off'), end], 'fence-before-evacuate');
      expect(v.status).toBe('fail');
      if (v.status === 'fail') expect(v.violations[0]!.entities).toEqual(['vm-a', 'c1']);
    });

    it('is unknown when the source host was never read (only fault targets are polled), never a pass', () => {
      const v = verdictOf([header(), evac(50 * S, 'vm-a', 'c9'), end], 'fence-before-evacuate');
      expect(v).toMatchObject({ status: 'unknown', why: expect.stringContaining('never read') });
    });

    it('a violation found at the end is in the report, with exit 1', () => {
      const report = judgeObservations([header(), power(5 * S, 'c1', 'on'), evac(50 * S, 'vm-a', 'c1'), power(55 * S, 'c1', 'on'), end], 'h.jsonl');
      expect(report.violations.some((x) => x.invariant === 'fence-before-evacuate')).toBe(true);
      expect(report.exitCode).toBe(1);
    });
  });
});
