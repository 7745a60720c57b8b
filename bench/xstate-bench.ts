import { createActor } from 'xstate';
import { GUEST_TABLE, guestMachine, type GuestEvent, type GuestState } from '../sim/infra/guest-machine.js';

/** A guest's life in events: boot, panic, reset by the watchdog, boot again. */
const CYCLE: GuestEvent[] = ['BOOTED', 'PANIC', 'WD_RESET'];

/** Cost of one event through an xstate actor, and through the compiled table the hot path uses. */
export function xstateBench(events = 300_000): Record<string, number> {
  const actor = createActor(guestMachine).start();
  let t0 = performance.now();
  for (let i = 0; i < events; i++) actor.send({ type: CYCLE[i % 3]! });
  const actorUs = ((performance.now() - t0) * 1000) / events;
  let state: GuestState = 'booting';
  t0 = performance.now();
  for (let i = 0; i < events; i++) state = (GUEST_TABLE.next(state, CYCLE[i % 3]!)?.to as GuestState) ?? state;
  const tableUs = ((performance.now() - t0) * 1000) / events;
  return { actorMicrosPerEvent: +actorUs.toFixed(3), tableMicrosPerEvent: +tableUs.toFixed(4), ratio: Math.round(actorUs / tableUs), finalState: state.length };
}
