import { transition, type AnyStateMachine } from 'xstate';

/** Where one event takes one state, and the named actions (effects as data) the transition asks for. */
export interface Step {
  readonly to: string;
  readonly actions: readonly string[];
}

/**
 * A flat xstate machine compiled to a lookup table: state → event type → step. The machine stays the source of
 * truth (it is what we draw, read and test); the table is what the hot path runs, ~100× cheaper than an actor.
 * Only flat, guard-free machines qualify: `compileMachine` checks every transition against the machine itself.
 */
export class FsmTable<S extends string, E extends string> {
  /**
   * By state, then by event: two lookups of names that are constants (a key made of both was a string built and
   * hashed on every guest and host event).
   */
  private readonly steps: Map<S, Map<E, Step>>;
  readonly states: readonly S[];
  readonly events: readonly E[];
  readonly initial: S;

  constructor(initial: S, states: readonly S[], events: readonly E[], steps: Map<S, Map<E, Step>>) {
    this.initial = initial;
    this.states = states;
    this.events = events;
    this.steps = steps;
  }

  /** The step for `event` in `state`, or undefined when the machine ignores that event there. */
  next(state: S, event: E): Step | undefined {
    return this.steps.get(state)?.get(event);
  }
}

/** Compile a flat machine by asking xstate's pure `transition()` for every (state, event) pair. */
export function compileMachine<S extends string, E extends string>(
  machine: AnyStateMachine,
  events: readonly E[],
): FsmTable<S, E> {
  const states = Object.keys(machine.root.states) as S[];
  const initial = String(machine.config.initial) as S;
  const steps = new Map<S, Map<E, Step>>();
  for (const state of states) {
    const snapshot = machine.resolveState({ value: state, context: {} });
    const fromState = new Map<E, Step>();
    steps.set(state, fromState);
    for (const type of events) {
      const [next, actions] = transition(machine, snapshot, { type } as never);
      const changed = next.value !== state || actions.length > 0;
      if (!changed) continue;
      const names = actions.map((a) => String((a as { type: string }).type)).filter((n) => !n.startsWith('xstate.'));
      fromState.set(type, { to: String(next.value), actions: names });
    }
  }
  return new FsmTable(initial, states, events, steps);
}
