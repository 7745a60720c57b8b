import fc from 'fast-check';
import type { CheckSpec, FaultKind, NetworkName } from '../../sim/scenario-spec.js';
import { CLOUD_KINDS, HOST_KINDS, limitConcurrency, type GeneratedFault } from './schedule.js';

/** Times on the check's grid within its window; durations of 1..max grid steps (shrink towards short, early). */
function timing(check: CheckSpec): fc.Arbitrary<{ atMs: number; durationMs: number }> {
  const steps = Math.floor((check.windowMs[1] - check.windowMs[0]) / check.gridMs);
  const maxSteps = Math.max(1, Math.floor(check.maxDurationMs / check.gridMs));
  return fc.record({
    atMs: fc.integer({ min: 0, max: steps }).map((k) => check.windowMs[0] + k * check.gridMs),
    durationMs: fc.integer({ min: 1, max: maxSteps }).map((k) => k * check.gridMs),
  });
}

const NIC_NETWORKS: NetworkName[] = ['mgmt', 'ipmi', 'storage'];

/** Arbitrary faults of one kind on the check's pools; null when the pools leave nothing to target. */
function faultOf(kind: FaultKind, check: CheckSpec): fc.Arbitrary<GeneratedFault> | null {
  const t = timing(check);
  const on = (pool: string[]) => (pool.length === 0 ? null : fc.tuple(t, fc.constantFrom(...pool)).map(([tm, target]) => ({ kind, target, ...tm })));
  if (kind === 'nic-down') {
    if (check.hosts.length === 0) return null;
    return fc.tuple(t, fc.constantFrom(...check.hosts), fc.constantFrom(...NIC_NETWORKS)).map(([tm, target, network]) => ({ kind, target, network, ...tm }));
  }
  if (HOST_KINDS.has(kind)) return on(check.hosts);
  if (kind === 'controller-failure') return on(check.controllers);
  if (kind === 'guest-panic' || kind === 'guest-hang') return on(check.servers);
  if (CLOUD_KINDS.has(kind)) return t.map((tm) => ({ kind, ...tm }));
  if (kind === 'network-partition') return partition(check, t);
  return null;
}

/** A cut on one network isolating a non-empty proper subset of the nodes, possibly one way. */
function partition(check: CheckSpec, t: fc.Arbitrary<{ atMs: number; durationMs: number }>): fc.Arbitrary<GeneratedFault> | null {
  const nodes = [...check.controllers, ...check.hosts];
  if (nodes.length < 2) return null;
  return fc.tuple(t, fc.subarray(nodes, { minLength: 1, maxLength: nodes.length - 1 }), fc.constantFrom<NetworkName>('mgmt', 'ipmi', 'storage'), fc.boolean())
    .map(([tm, isolated, network, oneWay]) => ({ kind: 'network-partition' as const, isolated, network, oneWay, ...tm }));
}

/**
 * A fault schedule with swarm testing: each schedule first draws which kinds are enabled (a non-empty subset)
 * and a rate for each (a weight of 1–8), then up to `maxFaults` faults of those kinds only — so each run
 * explores a corner, not an average of all.
 */
export function scheduleArbitrary(check: CheckSpec, maxFaults = check.maxFaults): fc.Arbitrary<GeneratedFault[]> {
  const usable = check.kinds.filter((k) => faultOf(k, check) !== null);
  const swarm = fc.record({
    enabled: fc.subarray(usable, { minLength: 1 }),
    rates: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: usable.length, maxLength: usable.length }),
  });
  return swarm.chain(({ enabled, rates }) =>
    fc.array(fc.oneof(...enabled.map((k) => ({ arbitrary: faultOf(k, check)!, weight: rates[usable.indexOf(k)]! }))), { minLength: 1, maxLength: maxFaults }),
  ).map((faults) => limitConcurrency(faults, check.maxConcurrent));
}

/** Kinds of the check block that can actually be generated (pools non-empty). */
export function usableKinds(check: CheckSpec): FaultKind[] {
  return check.kinds.filter((k) => faultOf(k, check) !== null);
}
