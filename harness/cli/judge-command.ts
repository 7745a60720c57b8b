import { readFile } from 'node:fs/promises';
import { checkReportTargets, writeReports } from '../../reports/index.js';
import type { RunMetrics, RunReport } from '../../reports/report-types.js';
import { IhasimError } from '../errors.js';
import { HistoryJudge } from '../history/judge.js';
import { parseHistory } from '../history/jsonl.js';
import type { EndObservation, HeaderObservation, Observation } from '../history/observation.js';
import { assembleRunReport, type RunReportBase } from '../history/run-report.js';
import { ihasimVersion } from '../version.js';
import { renderRun } from './terminal.js';
import { reportTargetsOf, type ReportFlags } from './report-flags.js';

export type JudgeFlags = ReportFlags;

/** `ihasim judge <history>`: judge a saved history with the invariant table; the same reports and exit codes as run. */
export async function judgeCommand(file: string, flags: JudgeFlags, out: (s: string) => void): Promise<number> {
  const targets = reportTargetsOf(flags);
  await checkReportTargets(targets);
  const report = judgeObservations(parseHistory(await readHistory(file), file), file);
  await writeReports(report, targets);
  if (!flags.quiet && !flags.json) out(renderRun(report, { timeline: true }));
  if (flags.json) out(JSON.stringify(report, null, 2));
  if (flags.quiet && report.verdict === 'fail') out(`FAIL ${report.failures[0]}\nreplay: ${report.replay}`);
  return report.exitCode;
}

async function readHistory(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new IhasimError('IHASIM_HISTORY_READ', `cannot read the history ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, [{ file, message: 'cannot read' }]);
  }
}

/** The run report of a history: its verdicts, and what its end line says besides (or a plain one for a live history). */
export function judgeObservations(observations: readonly Observation[], file: string): RunReport {
  const judge = new HistoryJudge(observations[0] as HeaderObservation);
  for (let i = 1; i < observations.length; i++) judge.step(observations[i]!);
  const base = (judge.end?.report as RunReportBase | undefined) ?? liveBase(judge.header, judge.end, file);
  return assembleRunReport(base, judge.header, judge.verdicts(), judge.violations);
}

const NO_RECOVERY: RunMetrics['recovery'] = { count: 0, p50Ms: null, p95Ms: null, p99Ms: null, maxMs: null, meanMs: null };

/**
 * The descriptive part of a report for a history whose end line carries none (`inject`): the header's facts, no
 * simulated metrics. Its replay command judges the same file again.
 */
function liveBase(header: HeaderObservation, end: EndObservation | null, file: string): RunReportBase {
  const meta = header.meta ?? {};
  const str = (k: string, fallback: string) => (typeof meta[k] === 'string' ? (meta[k] as string) : fallback);
  return {
    ihasim: 1, kind: 'run', scenario: header.scenario, ihasimVersion: str('ihasimVersion', ihasimVersion()), scenarioHash: str('scenarioHash', ''),
    seed: header.seed ?? 0, replay: `ihasim judge ${file}`, policy: str('policy', 'unknown'), durationMs: end?.t ?? 0, instances: [],
    metrics: {
      recovery: NO_RECOVERY, floorMs: 0, instancesTotal: header.instances.length, instancesAffected: 0, instancesLost: 0,
      instancesNeverPlaced: 0, dataLost: 0, falseFences: 0, resetLoops: 0, evacuations: 0, events: 0,
      hostsLeftDisabled: 0, operatorActions: 0, novaApiCalls: 0,
    },
    operatorActions: [],
    events: [],
  };
}
