import type { RunReport, Violation } from '../../reports/report-types.js';
import type { HeaderObservation } from './observation.js';
import type { Verdict } from './verdict.js';

/** What a run's report says besides its verdicts: the simulator writes it on the history's end line. */
export type RunReportBase = Omit<RunReport, 'verdict' | 'exitCode' | 'failures' | 'violations' | 'expectedViolations' | 'unknown'>;

/**
 * The run report from the verdicts of a history, the same for `run` and for `judge` of the history it wrote.
 * `found` are the safety violations in the order they happened; liveness ones come from the verdicts.
 *
 * Exit codes: 1 when a safety invariant is violated unexpectedly or an expected violation is not found; else 2 when
 * a liveness invariant is violated, or an invariant the scenario's expect requires could not be judged from the
 * history (`unknown`: never a pass; the report lists it under `unknown`); else 0.
 */
export function assembleRunReport(base: RunReportBase, header: HeaderObservation, verdicts: readonly Verdict[], found: readonly Violation[]): RunReport {
  const violations: Violation[] = [...found.filter((v) => v.kind === 'safety')];
  const seen = new Set(violations.map((v) => `${v.invariant}|${v.atMs}|${v.message}`));
  const unknown: { invariant: string; why: string }[] = [];
  for (const v of verdicts) {
    // Safety violations come in the order they happened (`found`); a checker that can only judge at the end (a live
    // history's fence-before-evacuate) reports its own in its verdict.
    if (v.status === 'fail') violations.push(...v.violations.filter((x) => x.kind !== 'safety' || !seen.has(`${x.invariant}|${x.atMs}|${x.message}`)));
    if (v.status === 'unknown') unknown.push({ invariant: v.invariant, why: v.why });
  }
  const expectedNames = header.expectedViolations;
  const names = new Set(violations.map((v) => v.invariant));
  const expected = expectedNames.map((name) => ({ name, found: names.has(name) }));
  const unexpected = violations.filter((v) => !expectedNames.includes(v.invariant));
  const unknownOf = new Map(unknown.map((u) => [u.invariant, u.why]));
  const failures = [
    ...unexpected.map((v) => `${v.invariant}: ${v.message}`),
    ...expected.filter((e) => !e.found).map((e) => unknownOf.has(e.name)
      ? `expected violation ${e.name} could not be judged (unknown: ${unknownOf.get(e.name)})`
      : `expected violation ${e.name} was not found`),
    ...unknown.filter((u) => !expectedNames.includes(u.invariant)).map((u) => `${u.invariant}: unknown: ${u.why}`),
  ];
  const safetyFail = unexpected.some((v) => v.kind === 'safety') || expected.some((e) => !e.found && !unknownOf.has(e.name));
  const exitCode = safetyFail ? 1 : unexpected.length > 0 || unknown.length > 0 ? 2 : 0;
  const { ihasim, kind, scenario, file, ihasimVersion, scenarioHash, scenarioProvenance, warnings, seed, replay, policy, durationMs, instances, metrics, operatorActions, events } = base;
  return {
    ihasim, kind, scenario, ...(file !== undefined ? { file } : {}), ihasimVersion, scenarioHash,
    ...(scenarioProvenance !== undefined ? { scenarioProvenance } : {}), ...(warnings !== undefined ? { warnings } : {}), seed,
    verdict: exitCode === 0 ? 'pass' : 'fail', exitCode, failures, replay, policy, durationMs,
    violations: violations.sort((a, b) => a.atMs - b.atMs), expectedViolations: expected,
    instances, metrics, operatorActions, events, ...(unknown.length > 0 ? { unknown } : {}),
  };
}
