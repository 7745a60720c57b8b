import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import type { MultiRunReport, ReportProvenance, RunReport, RunSummary } from '../../reports/report-types.js';
import { DowntimeHistogram } from './downtime-histogram.js';
import { runSeedReport, type RunOptions } from './run-scenario.js';
import { IhasimError } from '../errors.js';
import { reportProvenance } from '../version.js';
import { isSeed, MAX_SEED_COUNT, SEED_RANGE_TEXT } from './seed-range.js';
import { digestOf, summarise, type SeedDigest } from './seed-digest.js';

export { summarise } from './seed-digest.js';

/** Failed runs (and their failure lines) kept in a multi-run report; the rest are counted. */
export const MAX_LISTED_RUNS = 100;
/** Worst runs kept in a multi-run report. */
export const WORST_RUNS = 5;

export interface RunSeedsOptions extends RunOptions {
  /**
   * Called with each run's full report, in seed order, before it is dropped: the place to keep or stream
   * per-run detail (`ihasim run --runs-jsonl` writes each as a JSON line). Passing runs come with no events.
   */
  onRun?: (report: RunReport, index: number) => void;
}

/**
 * `--seeds N`: N runs from the scenario seed (seed, seed+1, …), aggregated; the worst exit code wins.
 * Memory stays flat in N: each report is summarised and dropped (see `MultiRunReport`).
 */
export function runSeeds(spec: ScenarioSpec, count: number, options: RunSeedsOptions = {}): MultiRunReport {
  const first = options.seed ?? spec.seed;
  checkSeedRange(first, count);
  const aggregate = new SeedAggregate();
  for (let i = 0; i < count; i++) {
    const report = runSeedReport(spec, { ...options, seed: first + i });
    report.events = report.verdict === 'fail' ? report.events : [];
    aggregate.add(report);
    options.onRun?.(report, i);
  }
  return aggregate.report(spec, first);
}

/** @throws IhasimError `IHASIM_USAGE` unless 1 ≤ count ≤ MAX_SEED_COUNT and every seed is in 0..MAX_SEED */
export function checkSeedRange(first: number, count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > MAX_SEED_COUNT) {
    throw new IhasimError('IHASIM_USAGE', `the seed count must be 1..${MAX_SEED_COUNT}, found ${count}`);
  }
  if (!isSeed(first) || !isSeed(first + count - 1)) {
    throw new IhasimError('IHASIM_USAGE', `seeds ${first}..${first + count - 1} are outside ${SEED_RANGE_TEXT}`);
  }
}

/** The running aggregate of a multi-seed run: counters, a downtime histogram and a few run summaries. */
export class SeedAggregate {
  private runs = 0;
  private failed = 0;
  private worstExit: 0 | 1 | 2 = 0;
  private instancesLost = 0;
  private dataLost = 0;
  private falseFences = 0;
  private simulatedMs = 0;
  private readonly byInvariant: Record<string, number> = {};
  private readonly downtimes = new DowntimeHistogram();
  private readonly failedRuns: RunSummary[] = [];
  private readonly failures: string[] = [];
  private worst: RunSummary[] = [];

  add(r: RunReport): void {
    this.addDigest(digestOf(r));
  }

  /** Folds one seed; seeds must come in seed order (the report lists failures and breaks ties by it). */
  addDigest(d: SeedDigest): void {
    this.runs++;
    this.instancesLost += d.instancesLost;
    this.dataLost += d.dataLost;
    this.falseFences += d.falseFences;
    this.simulatedMs += d.durationMs;
    for (const name of d.invariants) this.byInvariant[name] = (this.byInvariant[name] ?? 0) + 1;
    for (const ms of d.downtimesMs) this.downtimes.add(ms);
    if (d.exitCode !== 0) {
      this.failed++;
      // A safety failure (1) outranks a liveness one (2).
      if (d.exitCode === 1) this.worstExit = 1;
      else if (this.worstExit === 0) this.worstExit = 2;
      if (this.failedRuns.length < MAX_LISTED_RUNS) {
        this.failedRuns.push(d.summary);
        this.failures.push(d.failureLine ?? `seed ${d.seed}: failed`);
      }
    }
    this.keepIfWorst(d.summary);
  }

  /** Keeps the WORST_RUNS longest max downtimes; a run with no recovery never ranks. */
  private keepIfWorst(r: RunSummary): void {
    const max = r.recovery.maxMs;
    if (max === null) return;
    const last = this.worst[this.worst.length - 1];
    if (this.worst.length >= WORST_RUNS && last && (last.recovery.maxMs ?? 0) >= max) return;
    this.worst.push(r);
    // Stable sort: among equal downtimes the earlier (lower) seed stays ahead.
    this.worst = this.worst.sort((a, b) => (b.recovery.maxMs ?? 0) - (a.recovery.maxMs ?? 0)).slice(0, WORST_RUNS);
  }

  report(spec: ScenarioSpec, first: number): MultiRunReport {
    return this.reportWith(multiHeader(spec), first);
  }

  /** The report under a header made by {@link multiHeader} (a shard's part file carries it to `ihasim merge`). */
  reportWith(header: MultiHeader, first: number): MultiRunReport {
    const exitCode = this.worstExit;
    return {
      ihasim: 1, kind: 'multi', ...header,
      seeds: { first, last: first + this.runs - 1, count: this.runs },
      verdict: exitCode === 0 ? 'pass' : 'fail', exitCode,
      failures: this.failures, failuresOmitted: this.failed - this.failures.length,
      metrics: {
        runs: this.runs, failedRuns: this.failed, recovery: this.downtimes.stats(),
        instancesLost: this.instancesLost, dataLost: this.dataLost, falseFences: this.falseFences,
        violationsByInvariant: this.byInvariant, simulatedMs: this.simulatedMs,
        downtimePercentilesMs: this.downtimes.percentiles(),
      },
      failedRuns: this.failedRuns, failedRunsOmitted: this.failed - this.failedRuns.length,
      worstRuns: this.worst,
    };
  }
}

/** The scenario fields that head a multi-run report: its name, file and provenance. */
export type MultiHeader = { scenario: string; file?: string; recoveryBoundMs: number | null } & ReportProvenance;

export function multiHeader(spec: ScenarioSpec): MultiHeader {
  return { scenario: spec.name, ...(spec.file ? { file: spec.file } : {}), recoveryBoundMs: spec.expect.recoveryBoundMs ?? null, ...reportProvenance(spec) };
}
