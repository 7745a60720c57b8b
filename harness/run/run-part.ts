import type { Shard } from '../plan/shard.js';
import type { MultiRunReport } from '../../reports/report-types.js';
import { IhasimError } from '../errors.js';
import { SeedAggregate, type MultiHeader } from './run-seeds.js';
import type { SeedDigest } from './seed-digest.js';

/**
 * A shard of `run --seeds N --shard i/n --out FILE`: the seeds it ran (indices from..to-1 of the N seeds from
 * `first`) and their digests. `ihasim merge` folds the parts' digests in seed order into the report of the
 * whole run: the same bytes as one process.
 */
export interface RunPart {
  ihasim: 1;
  kind: 'run-part';
  shard: Shard;
  seeds: { first: number; count: number };
  units: { from: number; to: number };
  header: MultiHeader;
  defects: string[];
  digests: SeedDigest[];
}

export function isRunPart(data: unknown): data is RunPart {
  const p = data as Partial<RunPart> | null;
  return p?.kind === 'run-part' && Array.isArray(p.digests) && !!p.shard && !!p.units && !!p.seeds && !!p.header;
}

/**
 * The whole run's report from its parts (any order).
 * @throws IhasimError `IHASIM_USAGE` when parts differ in scenario, seeds or shard count, or one is missing, repeated or incomplete.
 */
export function mergeRunParts(parts: readonly RunPart[], paths: readonly string[]): MultiRunReport {
  const first = parts[0]!;
  const key = (p: RunPart): string => JSON.stringify([p.header, p.seeds, p.defects, p.shard.count]);
  const seen = new Map<number, string>();
  parts.forEach((p, i) => {
    if (key(p) !== key(first)) throw new IhasimError('IHASIM_USAGE', `${paths[i]} belongs to a different run than ${paths[0]} (scenario, --set, seeds, defects or shard count differ)`);
    if (seen.has(p.shard.index)) throw new IhasimError('IHASIM_USAGE', `shard ${p.shard.index}/${p.shard.count} is given twice: ${seen.get(p.shard.index)} and ${paths[i]}`);
    seen.set(p.shard.index, paths[i]!);
    if (p.digests.length !== p.units.to - p.units.from) throw new IhasimError('IHASIM_USAGE', `${paths[i]} is incomplete: run its shard again`);
  });
  const missing = Array.from({ length: first.shard.count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length) throw new IhasimError('IHASIM_USAGE', `missing shard(s) ${missing.map((i) => `${i}/${first.shard.count}`).join(', ')}`);
  const aggregate = new SeedAggregate();
  for (const p of [...parts].sort((a, b) => a.shard.index - b.shard.index)) for (const d of p.digests) aggregate.addDigest(d);
  return aggregate.reportWith(first.header, first.seeds.first);
}
