/**
 * The campaign's report in the format of `ihasim run` (reports/report-types.ts RunReport), so the same writers
 * render JSON, JUnit, Markdown and HTML and CI reads it the same way. Times are wall-clock ms since the campaign
 * began. The verdict comes from the history's checkers plus what the campaign itself saw go wrong: an abort, an
 * undo that did not read back, a canary outage beyond the bound.
 */
import type { RunReport, TimelineEvent, Violation } from '../../reports/report-types.js';
import { INVARIANTS } from '../../reports/invariants.js';
import type { Observation } from '../history/observation.js';
import type { Verdict } from '../history/verdict.js';
import { packageVersion } from '../cli/package-info.js';
import type { Campaign } from './campaign.js';

export interface CampaignOutcome {
  durationMs: number;
  /** Why the campaign stopped early, if it did. */
  abortReason: string | null;
  /** Undos that did not read back, one line each. */
  undoFailures: string[];
  injectFailures: string[];
  verdicts: readonly Verdict[];
  evacuations: number;
}

function timeline(observations: readonly Observation[]): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  for (const o of observations) {
    if (o.kind === 'fault') out.push({ atMs: o.t, type: `fault-${o.phase}`, entity: o.targets.join(','), message: `${o.fault} ${o.phase} (${o.id})` });
    else if (o.kind === 'power') out.push({ atMs: o.t, type: 'power', entity: o.host, message: `BMC reports power ${o.state}` });
    else if (o.kind === 'nova-service') out.push({ atMs: o.t, type: 'nova-service', entity: o.host, message: `nova-compute ${o.state}, ${o.status}${o.forcedDown ? ', forced down' : ''}` });
    else if (o.kind === 'evacuation') out.push({ atMs: o.t, type: 'evacuation', entity: o.instance, message: `evacuated from ${o.fromHost}${o.target ? ` to ${o.target}` : ''}` });
    else if (o.kind === 'serving' && o.source === 'canary') out.push({ atMs: o.t, type: o.serving ? 'canary-serving' : 'canary-silent', entity: o.instance, message: o.serving ? 'heartbeats resumed' : 'heartbeats stopped' });
  }
  return out;
}

/** Invariant names the campaign judges (`expect.invariants`). */
export function judgedInvariants(c: Campaign): string[] {
  return c.expect.invariants === 'all' ? INVARIANTS.map((i) => i.name) : [...c.expect.invariants];
}

export function buildInjectReport(c: Campaign, observations: readonly Observation[], o: CampaignOutcome, replay: string): RunReport {
  const violations: Violation[] = o.verdicts.flatMap((v) => (v.status === 'fail' ? v.violations : []));
  const expected = c.expect.violations.map((name) => ({ name, found: violations.some((v) => v.invariant === name) }));
  const unexpected = violations.filter((v) => !c.expect.violations.includes(v.invariant));
  const failures = [
    ...(o.abortReason ? [`aborted: ${o.abortReason}`] : []),
    ...o.injectFailures.map((f) => `inject failed: ${f}`),
    ...o.undoFailures.map((f) => `undo not confirmed: ${f}`),
    ...unexpected.map((v) => `${v.invariant}: ${v.message}`),
    ...expected.filter((e) => !e.found).map((e) => `expected violation of ${e.name} not found`),
  ];
  const safetyFail = unexpected.some((v) => v.kind === 'safety') || o.undoFailures.length > 0 || o.abortReason !== null || o.injectFailures.length > 0;
  const exitCode = safetyFail ? 1 : failures.length > 0 ? 2 : 0;
  const unknownBy = new Map<string, string[]>();
  for (const v of o.verdicts) if (v.status === 'unknown') unknownBy.set(v.why, [...(unknownBy.get(v.why) ?? []), v.invariant]);
  const unknown = [...unknownBy].map(([why, names]) => `not judged (${why}): ${names.join(', ')}`);
  return {
    ihasim: 1, kind: 'run', scenario: c.name, ...(c.file ? { file: c.file } : {}), seed: 0,
    verdict: exitCode === 0 ? 'pass' : 'fail', exitCode, failures, replay, policy: 'live (ihasim inject)',
    durationMs: o.durationMs, violations, expectedViolations: expected, instances: [],
    metrics: {
      recovery: { count: 0, p50Ms: null, p95Ms: null, p99Ms: null, maxMs: null, meanMs: null },
      floorMs: 0, instancesTotal: new Set(observations.filter((x) => x.kind === 'nova-server').map((x) => (x as { instance: string }).instance)).size,
      instancesAffected: 0, instancesLost: 0, instancesNeverPlaced: 0, dataLost: 0, falseFences: 0, resetLoops: 0,
      evacuations: o.evacuations, events: observations.length,
    },
    events: timeline(observations),
    ihasimVersion: packageVersion(), scenarioHash: '0'.repeat(64),
    ...(unknown.length ? { warnings: unknown } : {}),
  };
}
