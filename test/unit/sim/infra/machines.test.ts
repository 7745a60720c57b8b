import { describe, expect, it } from 'vitest';
import { transition, type AnyStateMachine } from 'xstate';
import { GUEST_EVENTS, GUEST_TABLE, guestMachine } from '../../../../sim/infra/guest-machine.js';
import { HOST_EVENTS, HOST_TABLE, hostMachine } from '../../../../sim/infra/host-machine.js';
import type { FsmTable } from '../../../../sim/kernel/fsm-table.js';

/** The hot-path tables must say exactly what the xstate machines say, for every state and event. */
function agrees(machine: AnyStateMachine, table: FsmTable<string, string>, events: readonly string[]): void {
  for (const state of Object.keys(machine.root.states)) {
    for (const type of events) {
      const [next, actions] = transition(machine, machine.resolveState({ value: state, context: {} }), { type } as never);
      const step = table.next(state, type);
      const names = actions.map((a) => (a as { type: string }).type).filter((n) => !n.startsWith('xstate.'));
      if (next.value === state && names.length === 0) expect(step, `${state} + ${type}`).toBeUndefined();
      else expect(step, `${state} + ${type}`).toEqual({ to: next.value, actions: names });
    }
  }
}

describe('state machines and their compiled tables', () => {
  it('compute host: table equals the xstate machine', () => agrees(hostMachine, HOST_TABLE, HOST_EVENTS));
  it('guest domain: table equals the xstate machine', () => agrees(guestMachine, GUEST_TABLE, GUEST_EVENTS));
  it('a hung host resumes its frozen domains (thaw), a powered-off one kills them', () => {
    expect(HOST_TABLE.next('hung', 'UNHANG')).toEqual({ to: 'running', actions: ['thaw'] });
    expect(HOST_TABLE.next('hung', 'POWER_OFF')?.actions).toContain('killDomains');
  });
  it('a panicked guest arms its watchdog; reset reboots it and counts the reset', () => {
    expect(GUEST_TABLE.next('running', 'PANIC')).toEqual({ to: 'panicked', actions: ['armWatchdog'] });
    expect(GUEST_TABLE.next('panicked', 'WD_RESET')).toEqual({ to: 'booting', actions: ['countReset', 'startBoot'] });
  });
});
