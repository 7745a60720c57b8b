import { setup } from 'xstate';
import { compileMachine } from '../kernel/fsm-table.js';

/**
 * Lifecycle of a compute node's hardware and OS. `off` is also "power off" (the BMC's view): there is no
 * separate power flag to drift out of sync. Actions are effects as data, carried out by ComputeHost:
 * - killDomains: every guest domain on it stops executing and is gone (power loss, panic, reset);
 * - freeze / thaw: a hang freezes its domains; they resume executing when it un-hangs (how double runs happen);
 * - startBoot: schedule BOOTED after the host boot time; servicesUp / servicesDown: nova-compute, pacemaker_remote.
 */
export const hostMachine = setup({
  types: { events: {} as { type: HostEvent } },
  actions: { killDomains: () => {}, freeze: () => {}, thaw: () => {}, startBoot: () => {}, servicesUp: () => {}, servicesDown: () => {} },
}).createMachine({
  id: 'compute-host',
  initial: 'running',
  states: {
    off: { on: { POWER_ON: { target: 'booting', actions: 'startBoot' } } },
    booting: {
      on: {
        POWER_OFF: { target: 'off', actions: 'killDomains' },
        BOOTED: { target: 'running', actions: 'servicesUp' },
        RESET: { target: 'booting', actions: ['killDomains', 'startBoot'] },
        PANIC: { target: 'crashed', actions: 'killDomains' },
      },
    },
    running: {
      on: {
        POWER_OFF: { target: 'off', actions: ['servicesDown', 'killDomains'] },
        PANIC: { target: 'crashed', actions: ['servicesDown', 'killDomains'] },
        HANG: { target: 'hung', actions: 'freeze' },
        RESET: { target: 'booting', actions: ['servicesDown', 'killDomains', 'startBoot'] },
      },
    },
    crashed: {
      on: {
        POWER_OFF: { target: 'off' },
        RESET: { target: 'booting', actions: 'startBoot' },
      },
    },
    hung: {
      on: {
        POWER_OFF: { target: 'off', actions: ['servicesDown', 'killDomains'] },
        UNHANG: { target: 'running', actions: 'thaw' },
        PANIC: { target: 'crashed', actions: ['servicesDown', 'killDomains'] },
        RESET: { target: 'booting', actions: ['servicesDown', 'killDomains', 'startBoot'] },
      },
    },
  },
});

export const HOST_EVENTS = ['POWER_OFF', 'POWER_ON', 'BOOTED', 'PANIC', 'HANG', 'UNHANG', 'RESET'] as const;
export type HostEvent = (typeof HOST_EVENTS)[number];
export type HostState = 'off' | 'booting' | 'running' | 'crashed' | 'hung';

/** The hot-path form of `hostMachine`, checked against it in test/unit/sim/infra/machines.test.ts. */
export const HOST_TABLE = compileMachine<HostState, HostEvent>(hostMachine, HOST_EVENTS);
