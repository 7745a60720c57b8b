import { readFile } from 'node:fs/promises';
import { IhasimError } from '../errors.js';
import type { UnitRange } from './evaluate.js';
import type { PlanMeta } from './result.js';
import type { SeedRecord } from './seed-record.js';

export interface Shard {
  index: number;
  count: number;
}

/** `--shard i/n`: 1 ≤ i ≤ n. @throws IhasimError `IHASIM_USAGE` otherwise. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(count >= 1 && index >= 1 && index <= count)) throw new IhasimError('IHASIM_USAGE', `--shard takes i/n with 1 ≤ i ≤ n (e.g. 2/8), found '${text}'`);
  return { index, count };
}

/** The contiguous slice of `total` units shard i of n runs: as equal as possible, in order, covering all. */
export function shardRange(shard: Shard, total: number): UnitRange {
  return { from: Math.floor(((shard.index - 1) * total) / shard.count), to: Math.floor((shard.index * total) / shard.count) };
}

/** A shard's result file: the plan it belongs to, the units it ran and their records. */
export interface PlanPart {
  ihasim: 1;
  kind: 'plan-part';
  shard: Shard;
  units: UnitRange & { total: number };
  meta: PlanMeta;
  records: SeedRecord[];
}

export function renderPart(part: PlanPart): string {
  return JSON.stringify(part) + '\n';
}

async function readPart(path: string): Promise<PlanPart> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new IhasimError('IHASIM_USAGE', `cannot read plan part ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const part = data as Partial<PlanPart>;
  if (part?.kind !== 'plan-part' || !part.meta || !Array.isArray(part.records) || !part.shard || !part.units) {
    throw new IhasimError('IHASIM_USAGE', `${path} is not a part written by \`ihasim plan --shard i/n --out FILE\``);
  }
  return part as PlanPart;
}

/**
 * Reads shard files and puts their records back in unit order.
 * @throws IhasimError `IHASIM_USAGE` when the parts belong to different plans, a shard is missing or repeated.
 */
export async function mergeParts(paths: readonly string[]): Promise<{ meta: PlanMeta; records: SeedRecord[] }> {
  if (paths.length === 0) throw new IhasimError('IHASIM_USAGE', 'ihasim merge needs the part files written by plan --shard');
  const parts = await Promise.all(paths.map(readPart));
  const first = parts[0]!;
  const metaText = JSON.stringify(first.meta);
  const seen = new Map<number, string>();
  parts.forEach((p, i) => {
    if (JSON.stringify(p.meta) !== metaText || p.shard.count !== first.shard.count) {
      throw new IhasimError('IHASIM_USAGE', `${paths[i]} belongs to a different plan than ${paths[0]} (scenario, --set, --vary, seeds or shard count differ)`);
    }
    if (seen.has(p.shard.index)) throw new IhasimError('IHASIM_USAGE', `shard ${p.shard.index}/${p.shard.count} is given twice: ${seen.get(p.shard.index)} and ${paths[i]}`);
    seen.set(p.shard.index, paths[i]!);
  });
  const missing = Array.from({ length: first.shard.count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length) throw new IhasimError('IHASIM_USAGE', `missing shard(s) ${missing.map((i) => `${i}/${first.shard.count}`).join(', ')}`);
  const ordered = [...parts].sort((a, b) => a.shard.index - b.shard.index);
  for (const p of ordered) {
    if (p.records.length !== p.units.to - p.units.from) {
      throw new IhasimError('IHASIM_USAGE', `shard ${p.shard.index}/${p.shard.count} is incomplete (${p.records.length} of ${p.units.to - p.units.from} runs): it was interrupted; run it again`);
    }
  }
  return { meta: first.meta, records: ordered.flatMap((p) => p.records) };
}
