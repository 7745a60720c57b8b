import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import { adoptSpecIdentity, specIdentity, type SpecIdentity } from '../version.js';

/**
 * A scenario as a worker task carries it. A structured clone makes a new spec object for every task, which would
 * defeat everything the simulator computes once per scenario and keys by the spec object (initial placements, the
 * world's per-scenario tables): `token` names the sender's spec object, so a worker keeps the first copy it
 * receives and reuses it for every later slice of the same scenario.
 */
export interface SpecOnTheWire {
  token: number;
  spec: ScenarioSpec;
  /** The spec's hash and provenance, which a structured clone drops (see {@link adoptSpecIdentity}). */
  identity: SpecIdentity;
}

const tokens = new WeakMap<ScenarioSpec, number>();
let nextToken = 0;

/** The sending side: the same spec object always gets the same token. */
export function specOnTheWire(spec: ScenarioSpec): SpecOnTheWire {
  let token = tokens.get(spec);
  if (token === undefined) tokens.set(spec, (token = nextToken++));
  return { token, spec, identity: specIdentity(spec) };
}

/** Specs a worker keeps: a plan has one per point; beyond this, the oldest are let go. */
const KEPT = 256;
const received = new Map<number, ScenarioSpec>();

/** The receiving side: the spec first received under this token, its identity adopted. */
export function specFromTheWire(wire: SpecOnTheWire): ScenarioSpec {
  const known = received.get(wire.token);
  if (known !== undefined) return known;
  adoptSpecIdentity(wire.spec, wire.identity);
  received.set(wire.token, wire.spec);
  if (received.size > KEPT) received.delete(received.keys().next().value!);
  return wire.spec;
}
