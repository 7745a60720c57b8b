import { describe, expect, it } from 'vitest';
import type { Observation } from '../../../../harness/history/observation.js';
import { liveOperatorActions } from '../../../../harness/inject/live-operator-actions.js';

const svc = (t: number, host: string, status: 'enabled' | 'disabled', forcedDown: boolean): Observation =>
  ({ kind: 'nova-service', source: 'nova', t, host, state: forcedDown ? 'down' : 'up', status, forcedDown, disabledReason: status === 'disabled' ? 'instanceha' : null }) as Observation;

describe('live operator actions', () => {
  it('names a host left disabled with power on, a server in ERROR, and not a host still powered off', () => {
    const obs: Observation[] = [
      svc(1, 'compute-1', 'disabled', true),
      svc(2, 'compute-2', 'disabled', true),
      { kind: 'power', source: 'bmc', t: 3, host: 'compute-2', state: 'off' } as Observation,
      svc(4, 'compute-3', 'disabled', false),
      svc(5, 'compute-3', 'enabled', false),
      { kind: 'nova-server', source: 'nova', t: 6, instance: 'vm-1', host: 'compute-4', vmState: 'error', taskState: null } as Observation,
    ];
    const r = liveOperatorActions(obs);
    expect(r.hostsLeftDisabled).toBe(1);
    expect(r.actions).toEqual([
      'compute-1: force nova-compute up (left forced down)',
      'compute-1: enable nova-compute (left disabled: instanceha)',
      'vm-1: recover from ERROR (reset-state, rebuild or evacuate by hand)',
    ]);
  });
});
