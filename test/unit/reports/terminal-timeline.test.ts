import { describe, expect, test } from 'vitest';
import { renderRun, timelineLines } from '../../../harness/cli/terminal.js';
import { event, passingRun, recoveredInstance, violation } from '../../support/sample-report.js';

/** A run whose fencing of compute-01 failed 9 times before succeeding, among many routine events. */
function retriedFenceRun() {
  const run = passingRun();
  const events = [event(60_000, 'fault', 'host-power-loss', 'targets=compute-01|compute-02')];
  events.push(event(60_000, 'host.power_off', 'compute-01', 'from=running to=off'), event(60_000, 'host.power_off', 'compute-02', 'from=running to=off'));
  for (let i = 0; i < 50; i++) events.push(event(61_000 + i, 'attrd.set', 'compute-02', `name=x value=${i}`));
  for (let i = 0; i < 9; i++) {
    events.push(event(70_000 + i * 10_000, 'pacemaker.fence.start', 'compute-01', `attempt=${i + 1}`));
    events.push(event(75_000 + i * 10_000, 'pacemaker.fence.failed', 'compute-01', `attempt=${i + 1} rc=1`));
  }
  events.push(event(170_000, 'pacemaker.fence.start', 'compute-01', 'attempt=10'), event(171_000, 'pacemaker.fence.ok', 'compute-01', 'attempt=10'));
  for (const vm of ['vm-01', 'vm-04']) events.push(event(172_000, 'nova.evacuate.accepted', vm, 'from=compute-01'), event(200_000, 'guest.booted', vm, ''));
  run.events = events;
  run.instances.push(recoveredInstance('vm-04', 60_000));
  run.violations = [violation('no-double-run', 180_000, ['vm-04'], 'runs twice')];
  return run;
}

describe('terminal timeline', () => {
  test('collapses a retried fence into one line with its count', () => {
    const lines = timelineLines(retriedFenceRun());
    expect(lines.filter((l) => l.includes('pacemaker.fence.start/failed ×18'))).toHaveLength(1);
    expect(lines.some((l) => /pacemaker\.fence\.start\s+compute-01\s+attempt=10/.test(l))).toBe(true);
    expect(lines.some((l) => /pacemaker\.fence\.ok\s+compute-01/.test(l))).toBe(true);
  });

  test('shows faults, power changes and violations, not the routine events that came first', () => {
    const lines = timelineLines(retriedFenceRun());
    expect(lines[0]).toMatch(/fault\s+host-power-loss/);
    expect(lines.some((l) => /host\.power_off ×2\s+compute-01, compute-02/.test(l))).toBe(true);
    expect(lines.some((l) => /violation\s+no-double-run\s+vm-04: runs twice/.test(l))).toBe(true);
    expect(lines.join('\n')).not.toContain('attrd.set');
    expect(lines.at(-1)).toMatch(/\(5\d routine events of the report not shown, 1234 in all/);
  });

  test('sums up evacuations per source host in one line', () => {
    const lines = timelineLines(retriedFenceRun());
    expect(lines.filter((l) => l.includes('evacuations'))).toEqual([expect.stringMatching(/compute-01\s+2 sent, 2 booted elsewhere, until 3m20s/)]);
  });

  test('renderRun prints the timeline section only when asked', () => {
    expect(renderRun(retriedFenceRun(), { timeline: true })).toContain('pacemaker.fence.start/failed ×18');
    expect(renderRun(retriedFenceRun(), { timeline: false })).not.toContain('timeline:');
  });
});
