import type { ScenarioSpec, ServerSpec } from '../../../sim/scenario-spec.js';
import type { World } from '../../../sim/world.js';
import { optedIn } from '../../checkers/eligibility.js';
import { unexcusedReasons } from '../../check/defects.js';
import { HISTORY_VERSION, type HeaderObservation } from '../observation.js';

/** When the last fault has healed: its undo (duration) or, for a kernel panic, its kdump reboot. */
export function healTime(faults: ScenarioSpec['faults']): number {
  let last = 0;
  for (const f of faults) last = Math.max(last, f.atMs + (f.durationMs ?? f.kdumpRebootMs ?? 0));
  return last;
}

/** The policy's instance filter as the scenario writes it. */
export function describeFilter(spec: ScenarioSpec): string {
  const f = spec.recovery.instanceFilter;
  return f.kind === 'tag' ? `tag:${f.tag}` : f.kind === 'metadata' ? `metadata:${f.key}` : f.kind;
}

/** Built once per scenario and shared by every seed of a multi-seed run. */
const predicates = new WeakMap<ScenarioSpec, (s: ServerSpec) => boolean>();
const instanceLists = new WeakMap<ScenarioSpec, HeaderObservation['instances']>();

export function scenarioEligibility(spec: ScenarioSpec): (s: ServerSpec) => boolean {
  let p = predicates.get(spec);
  if (!p) predicates.set(spec, (p = optedIn(spec)));
  return p;
}

function instancesOf(spec: ScenarioSpec): HeaderObservation['instances'] {
  let list = instanceLists.get(spec);
  if (!list) {
    const eligible = scenarioEligibility(spec);
    instanceLists.set(spec, (list = spec.servers.map((s) => ({ name: s.name, eligible: eligible(s), storage: s.storage }))));
  }
  return list;
}

/**
 * The header of a simulated run's history: the scenario's expect, each server's eligibility judged from the scenario
 * itself (harness/checkers/eligibility.ts, not the recovery logic's own selection), the allowed reasons less those
 * a defect takes away (harness/check/defects.ts `unexcused`), and corosync's membership lag (token + consensus =
 * 2.2 × token timeout).
 */
export function simHeader(world: World, judged: ReadonlySet<string>, seed: number | undefined): HeaderObservation {
  const spec = world.spec;
  const unexcused = unexcusedReasons(world.defects);
  const e = spec.expect;
  return {
    t: 0, source: 'harness', kind: 'header', history: HISTORY_VERSION, mode: 'run', scenario: spec.name,
    ...(seed !== undefined ? { seed } : {}),
    judged: [...judged], expectedViolations: [...e.violations],
    allowedReasons: e.allowedReasons.filter((r) => !unexcused.has(r)),
    ...(e.recoveryBoundMs !== undefined ? { recoveryBoundMs: e.recoveryBoundMs } : {}),
    ...(e.recoveryBoundFrom !== undefined ? { recoveryBoundFrom: e.recoveryBoundFrom } : {}),
    healedAtMs: healTime(spec.faults), settleMs: world.config.run.settleMs,
    membershipLagMs: Math.round(world.config.pacemaker.tokenTimeoutMs * 2.2),
    instances: instancesOf(spec), filter: describeFilter(spec),
  };
}
