import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import { runSeedReport } from './run-scenario.js';
import { digestOf, type SeedDigest } from './seed-digest.js';
import { runOrdered } from './ordered-pool.js';
import { specOnTheWire } from './spec-transfer.js';

export interface SeedsJobOptions {
  /** The first seed of the whole range (a shard runs a slice of it). */
  first: number;
  /** Indices into the range to run: from..to-1 (a shard's slice, or all of it). */
  from: number;
  to: number;
  jobs: number;
  /** `--jobs` not given: add the worker threads only if the run turns out long (see ordered-pool.ts). */
  autoLanes?: boolean;
  defects?: readonly string[];
  /** Keep each run's report as a JSON line (`--runs-jsonl`). */
  jsonl?: boolean;
  /** Each seed's digest, in seed order. */
  onDigest: (digest: SeedDigest, index: number) => void;
  shouldStop?: () => boolean;
}

/**
 * `run --seeds` on `jobs` threads: seeds first+from .. first+to-1, digests handed to `onDigest` in seed order
 * (so the aggregate and the JSONL are the bytes one thread gives). Returns how many seeds were folded.
 */
export async function runSeedDigests(spec: ScenarioSpec, o: SeedsJobOptions): Promise<{ done: number; stopped: boolean }> {
  const base = o.from;
  const defects = o.defects ?? [];
  const jsonl = o.jsonl ?? false;
  const scenario = specOnTheWire(spec);
  return runOrdered<SeedDigest>({
    total: o.to - base,
    jobs: o.jobs,
    autoLanes: o.autoLanes,
    slice: (from, to) => ({ kind: 'run', scenario, first: o.first, from: base + from, to: base + to, defects, jsonl }),
    inThread: (from, to) => {
      const out: SeedDigest[] = [];
      for (let i = base + from; i < base + to; i++) out.push(digestOf(runSeedReport(spec, { seed: o.first + i, trace: false, defects }), { jsonl }));
      return out;
    },
    onResults: (digests, from) => digests.forEach((d, k) => o.onDigest(d, base + from + k)),
    shouldStop: o.shouldStop,
  });
}
