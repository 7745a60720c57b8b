import type { RunReport, RunSummary } from '../../reports/report-types.js';

/**
 * What a multi-seed run keeps of one seed's report: everything `SeedAggregate` folds, in a small plain object a
 * worker thread can send back cheaply (or a shard can write to its part file). The aggregate is computed from
 * digests alone, in seed order, so one thread, many threads and merged shards give the same bytes.
 */
export interface SeedDigest {
  seed: number;
  exitCode: 0 | 1 | 2;
  instancesLost: number;
  dataLost: number;
  falseFences: number;
  durationMs: number;
  /** Invariants this run violated, each once, in first-violation order. */
  invariants: string[];
  /** Downtimes of the instances recovered (outcome recovered…), report order. */
  downtimesMs: number[];
  /** The run in brief (kept when it failed or ranks among the worst). */
  summary: RunSummary;
  /** `seed N: first failure — replay: …` for a failed run. */
  failureLine?: string;
  /** With `--runs-jsonl`: the run's report as one JSON line (passing runs without events). */
  jsonl?: string;
}

export function digestOf(r: RunReport, options: { jsonl?: boolean } = {}): SeedDigest {
  const digest: SeedDigest = {
    seed: r.seed, exitCode: r.exitCode, instancesLost: r.metrics.instancesLost, dataLost: r.metrics.dataLost,
    falseFences: r.metrics.falseFences, durationMs: r.durationMs,
    invariants: [...new Set(r.violations.map((v) => v.invariant))],
    downtimesMs: recoveredDowntimes(r),
    summary: summarise(r),
  };
  if (r.verdict === 'fail') digest.failureLine = `seed ${r.seed}: ${r.failures[0] ?? 'failed'} — replay: ${r.replay}`;
  if (options.jsonl) digest.jsonl = JSON.stringify({ ...r, events: r.verdict === 'fail' ? r.events : [] });
  return digest;
}

/** The downtimes of the instances recovered, in report order (one pass: once per seed of `--seeds N`). */
function recoveredDowntimes(r: RunReport): number[] {
  const out: number[] = [];
  for (const o of r.instances) if (o.downtimeMs !== null && o.outcome.startsWith('recovered')) out.push(o.downtimeMs);
  return out;
}

/** A run in brief: what failed, what it cost, how to replay it. */
export function summarise(r: RunReport): RunSummary {
  const violations: Record<string, number> = {};
  for (const v of r.violations) violations[v.invariant] = (violations[v.invariant] ?? 0) + 1;
  return {
    seed: r.seed, verdict: r.verdict, exitCode: r.exitCode, failures: r.failures.slice(0, 3), violations,
    recovery: r.metrics.recovery, instancesLost: r.metrics.instancesLost, dataLost: r.metrics.dataLost,
    falseFences: r.metrics.falseFences, durationMs: r.durationMs, replay: r.replay,
  };
}
