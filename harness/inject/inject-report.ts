/**
 * The campaign's report in the format of `ihasim run` (reports/report-types.ts RunReport), so the same writers
 * render JSON, JUnit, Markdown and HTML and CI reads it the same way. Times are wall-clock ms since the campaign
 * began. The invariants are judged by the history's checkers (harness/history/judge.ts), exactly as
 * `ihasim judge HISTORY` would; what the campaign itself saw go wrong (an abort, an inject the cloud refused, an
 * undo that did not read back) is added as failures with exit code 1.
 */
import type { RunReport, TimelineEvent } from '../../reports/report-types.js';
import { INVARIANTS } from '../../reports/invariants.js';
import { HistoryJudge } from '../history/judge.js';
import type { HeaderObservation, Observation } from '../history/observation.js';
import { assembleRunReport, type RunReportBase } from '../history/run-report.js';
import { ihasimVersion } from '../version.js';
import type { Campaign } from './campaign.js';
import { liveOperatorActions } from './live-operator-actions.js';
import { canaryOutcomes, canaryRecovery } from './canary-outcomes.js';

export interface CampaignOutcome {
  durationMs: number;
  /** Why the campaign stopped early, if it did. */
  abortReason: string | null;
  /** Undos that did not read back, one line each. */
  undoFailures: string[];
  injectFailures: string[];
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

/** The campaign's own failures, one line each. */
export function campaignFailures(o: CampaignOutcome): string[] {
  return [
    ...(o.abortReason ? [`aborted: ${o.abortReason}`] : []),
    ...o.injectFailures.map((f) => `inject failed: ${f}`),
    ...o.undoFailures.map((f) => `undo not confirmed: ${f}`),
  ];
}

/** What the report says besides verdicts; it also goes on the history's end line, so `ihasim judge` shows it. */
export function injectReportBase(c: Campaign, observations: readonly Observation[], o: CampaignOutcome, replay: string, scenarioHash: string): RunReportBase {
  const failures = campaignFailures(o);
  const endState = liveOperatorActions(observations);
  const instances = canaryOutcomes(observations);
  return {
    ihasim: 1, kind: 'run', scenario: c.name, ...(c.file ? { file: c.file } : {}), seed: 0, replay, policy: 'live (ihasim inject)',
    durationMs: o.durationMs, instances,
    metrics: {
      recovery: canaryRecovery(instances),
      floorMs: 0, instancesTotal: new Set(observations.filter((x) => x.kind === 'nova-server').map((x) => (x as { instance: string }).instance)).size,
      instancesAffected: instances.length, instancesLost: instances.filter((i) => i.outcome === 'not-recovered').length, instancesNeverPlaced: 0, dataLost: 0, falseFences: 0, resetLoops: 0,
      evacuations: observations.filter((x) => x.kind === 'evacuation').length, events: observations.length,
      // The campaign's client does not count its Nova requests, and they are the harness's, not the design's.
      hostsLeftDisabled: endState.hostsLeftDisabled, operatorActions: endState.actions.length, novaApiCalls: 0,
    },
    operatorActions: endState.actions,
    events: timeline(observations),
    ihasimVersion: ihasimVersion(), scenarioHash,
    ...(failures.length ? { warnings: failures.map((f) => `campaign: ${f}`) } : {}),
  };
}

/** Judges the history and adds the campaign's own failures (exit 1: the cloud was not left as planned). */
export function buildInjectReport(observations: readonly Observation[], base: RunReportBase, o: CampaignOutcome): RunReport {
  const judge = new HistoryJudge(observations[0] as HeaderObservation);
  for (const obs of observations.slice(1)) judge.step(obs);
  const report = assembleRunReport(base, judge.header, judge.verdicts(), judge.violations);
  const own = campaignFailures(o);
  if (own.length === 0) return report;
  return { ...report, failures: [...own, ...report.failures], verdict: 'fail', exitCode: 1 };
}

/** The terminal summary: verdict, each failure, each violation, what could not be judged from a live history. */
export function renderInjectSummary(r: RunReport): string {
  const lines = [`ihasim inject ${r.scenario}: ${Math.round(r.durationMs / 1000)} s, ${r.metrics.evacuations} evacuation(s) seen`];
  for (const v of r.violations) lines.push(`VIOLATION ${v.invariant} at +${Math.round(v.atMs / 1000)} s: ${v.message}`);
  for (const u of r.unknown ?? []) lines.push(`unknown ${u.invariant}: ${u.why}`);
  lines.push(`verdict: ${r.verdict.toUpperCase()} (exit ${r.exitCode})`);
  for (const f of r.failures) lines.push(`  - ${f}`);
  return lines.join('\n');
}
