import { setup } from 'xstate';
import { compileMachine } from '../kernel/fsm-table.js';

/**
 * Lifecycle of one guest domain (one running copy of an instance on one hypervisor). A panicked or hung guest
 * stops petting its watchdog: `armWatchdog` schedules the device's action after the watchdog timeout, which
 * arrives as WD_RESET / WD_POWEROFF / WD_PAUSE (or nothing, for `none`/`disabled`/`notify`).
 * Executing (for `no-double-run`) means booting or running on a host that is not frozen.
 */
export const guestMachine = setup({
  types: { events: {} as { type: GuestEvent } },
  actions: { startBoot: () => {}, armWatchdog: () => {}, disarmWatchdog: () => {}, countReset: () => {}, reportStopped: () => {} },
}).createMachine({
  id: 'guest-domain',
  initial: 'booting',
  states: {
    booting: {
      on: {
        BOOTED: { target: 'running' },
        PANIC: { target: 'panicked', actions: 'armWatchdog' },
        HANG: { target: 'hung', actions: 'armWatchdog' },
        SHUTDOWN: { target: 'shutoff', actions: 'reportStopped' },
      },
    },
    running: {
      on: {
        PANIC: { target: 'panicked', actions: 'armWatchdog' },
        HANG: { target: 'hung', actions: 'armWatchdog' },
        SHUTDOWN: { target: 'shutoff', actions: 'reportStopped' },
      },
    },
    panicked: {
      on: {
        WD_RESET: { target: 'booting', actions: ['countReset', 'startBoot'] },
        WD_POWEROFF: { target: 'shutoff', actions: 'reportStopped' },
        WD_PAUSE: { target: 'paused' },
        SHUTDOWN: { target: 'shutoff', actions: ['disarmWatchdog', 'reportStopped'] },
      },
    },
    hung: {
      on: {
        WD_RESET: { target: 'booting', actions: ['countReset', 'startBoot'] },
        WD_POWEROFF: { target: 'shutoff', actions: 'reportStopped' },
        WD_PAUSE: { target: 'paused' },
        SHUTDOWN: { target: 'shutoff', actions: ['disarmWatchdog', 'reportStopped'] },
      },
    },
    paused: { on: { SHUTDOWN: { target: 'shutoff', actions: 'reportStopped' } } },
    shutoff: { on: { START: { target: 'booting', actions: 'startBoot' } } },
  },
});

export const GUEST_EVENTS = ['BOOTED', 'PANIC', 'HANG', 'WD_RESET', 'WD_POWEROFF', 'WD_PAUSE', 'SHUTDOWN', 'START'] as const;
export type GuestEvent = (typeof GUEST_EVENTS)[number];
export type GuestState = 'booting' | 'running' | 'panicked' | 'hung' | 'paused' | 'shutoff';

/** The hot-path form of `guestMachine`, checked against it in test/unit/sim/infra/machines.test.ts. */
export const GUEST_TABLE = compileMachine<GuestState, GuestEvent>(guestMachine, GUEST_EVENTS);

/** Watchdog device action: image property `hw_watchdog_action` wins over flavor extra spec `hw:watchdog_action`. */
export type WatchdogAction = 'disabled' | 'none' | 'pause' | 'poweroff' | 'reset' | 'notify';
