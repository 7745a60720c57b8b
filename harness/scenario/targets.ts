import type { ComputeSpec, TargetSpec } from '../../sim/scenario-spec.js';
import { tryExpandBraces } from './braces.js';
import type { Issues } from './issues.js';
import type { RawTarget, RawTargetSet } from './raw-types.js';
import type { KeyPath } from './yaml-source.js';
import { didYouMean, matchPattern } from './name-match.js';

/** Which entities a fault kind applies to. */
export type PoolKind = 'compute' | 'controller' | 'server';

/** The entities of a scenario that faults can name. */
export interface TargetWorld {
  computes: readonly ComputeSpec[];
  controllers: readonly string[];
  servers: readonly string[];
}

const POOL_WORDS: Record<PoolKind, string> = { compute: 'compute', controller: 'controller', server: 'server' };

/** Renders a target the way a scenario writes it, in flow style: `{count: 2, from: {rack: r1}}`. */
export function formatTarget(raw: unknown): string {
  if (Array.isArray(raw)) return `[${raw.map(formatTarget).join(', ')}]`;
  if (raw !== null && typeof raw === 'object') {
    return `{${Object.entries(raw).map(([k, v]) => `${k}: ${formatTarget(v)}`).join(', ')}}`;
  }
  return String(raw);
}

/** The names of one pool kind. */
export function poolNames(kind: PoolKind, world: TargetWorld): string[] {
  if (kind === 'compute') return world.computes.map((c) => c.name);
  return kind === 'controller' ? [...world.controllers] : [...world.servers];
}

/** Why a name matched nothing: a did-you-mean, or the pool it does belong to. */
function missHint(name: string, kind: PoolKind, world: TargetWorld): string {
  for (const other of ['compute', 'controller', 'server'] as const) {
    if (other !== kind && matchPattern(name, poolNames(other, world)).length > 0) {
      return `; \`${name}\` names a ${POOL_WORDS[other]}, and this fault kind takes ${POOL_WORDS[kind]}s`;
    }
  }
  return didYouMean(name, poolNames(kind, world));
}

/** Names and globs (with brace ranges) resolved against a pool; each must match something. */
function byNames(patterns: readonly string[], kind: PoolKind, world: TargetWorld, path: KeyPath, issues: Issues, list: boolean): Set<string> {
  const pool = poolNames(kind, world);
  const chosen = new Set<string>();
  patterns.forEach((p, i) => {
    const at = list ? [...path, i] : path;
    const expanded = tryExpandBraces(p);
    if (!expanded.ok) return issues.add('target', at, expanded.problem);
    for (const name of expanded.names) {
      const hits = matchPattern(name, pool);
      if (hits.length === 0) issues.add('target', at, `no ${POOL_WORDS[kind]} matches \`${name}\`${missHint(name, kind, world)}`);
      hits.forEach((h) => chosen.add(h));
    }
  });
  return chosen;
}

/** The computes of a rack or availability zone. */
function byPlace(where: 'rack' | 'az', value: string, kind: PoolKind, world: TargetWorld, path: KeyPath, issues: Issues): Set<string> {
  if (kind !== 'compute') {
    issues.add('target', [...path, where], `${POOL_WORDS[kind]}s have no ${where}: name them, or use a glob`);
    return new Set();
  }
  const hits = world.computes.filter((c) => c[where] === value).map((c) => c.name);
  if (hits.length === 0) {
    const known = [...new Set(world.computes.map((c) => c[where]))];
    issues.add('target', [...path, where], `no compute is in ${where === 'az' ? 'zone' : 'rack'} \`${value}\`${didYouMean(value, known)}`);
  }
  return new Set(hits);
}

/** Resolves a set of names, globs, or a rack or zone, to pool names in topology order. */
function resolveSet(raw: RawTargetSet, kind: PoolKind, world: TargetWorld, path: KeyPath, issues: Issues): string[] {
  let chosen: Set<string>;
  if (typeof raw === 'string') chosen = byNames([raw], kind, world, path, issues, false);
  else if (Array.isArray(raw)) chosen = byNames(raw, kind, world, path, issues, true);
  else {
    const keys = (['rack', 'az'] as const).filter((k) => raw[k] !== undefined);
    if (raw.host !== undefined) {
      issues.add('target', [...path, 'host'], '`host` selects the servers running on a compute (guest faults): name the compute itself');
      return [];
    }
    if (keys.length !== 1) {
      issues.add('target', path, 'give exactly one of `rack` or `az`');
      return [];
    }
    chosen = byPlace(keys[0]!, raw[keys[0]!]!, kind, world, path, issues);
  }
  return poolNames(kind, world).filter((n) => chosen.has(n));
}

/** A guest fault's `{host: …}`, `{rack: …}` or `{az: …}`: the computes (names or globs) whose guests it hits. */
function guestHosts(raw: { rack?: string; az?: string; host?: string }, world: TargetWorld, path: KeyPath, issues: Issues): string[] {
  const keys = (['host', 'rack', 'az'] as const).filter((k) => raw[k] !== undefined);
  if (keys.length !== 1) {
    issues.add('target', path, 'give exactly one of `host`, `rack` or `az`');
    return [];
  }
  const key = keys[0]!;
  if (key === 'host') return resolveSet(raw.host!, 'compute', world, [...path, 'host'], issues);
  return resolveSet({ [key]: raw[key] }, 'compute', world, path, issues);
}

/** Servers by where they run: resolved at the fault's time (the pool is filled by the simulator). */
function serversByPlace(raw: Exclude<RawTarget, string | string[]>, world: TargetWorld, path: KeyPath, issues: Issues): TargetSpec | undefined {
  const before = issues.count;
  const set = raw.from ?? raw;
  if (typeof set === 'string' || Array.isArray(set)) return undefined;
  const onHosts = guestHosts(set, world, raw.from !== undefined ? [...path, 'from'] : path, issues);
  if (issues.count > before) return undefined;
  const text = formatTarget(raw);
  return raw.count === undefined ? { pool: [], onHosts, text } : { pool: [], onHosts, count: raw.count, text };
}

const placed = (raw: RawTarget): boolean => {
  if (typeof raw === 'string' || Array.isArray(raw)) return false;
  const set = raw.from ?? raw;
  return typeof set === 'object' && !Array.isArray(set);
};

/**
 * Resolves a fault target to the pool of names it may hit (computes, controllers or servers by `kind`), in
 * topology order, and the optional `count` chosen from it by the seed. Problems are recorded as
 * `IHASIM_FAULT_TARGET` issues and give undefined.
 */
export function resolveTarget(raw: RawTarget, kind: PoolKind, world: TargetWorld, path: KeyPath, issues: Issues): TargetSpec | undefined {
  const before = issues.count;
  const text = formatTarget(raw);
  if (typeof raw === 'string' || Array.isArray(raw)) {
    const pool = resolveSet(raw, kind, world, path, issues);
    return issues.count > before ? undefined : { pool, text };
  }
  if (kind === 'server' && placed(raw)) {
    const forms = (['host', 'rack', 'az', 'from'] as const).filter((k) => raw[k] !== undefined);
    if (forms.length !== 1) {
      issues.add('target', path, 'give exactly one of `host`, `rack`, `az` or `from` (with an optional `count`)');
      return undefined;
    }
    return serversByPlace(raw, world, path, issues);
  }
  const forms = (['rack', 'az', 'from', 'host'] as const).filter((k) => raw[k] !== undefined);
  if (raw.host !== undefined && kind !== 'server') {
    issues.add('target', [...path, 'host'], '`host` selects the servers running on a compute (guest faults): name the compute itself');
    return undefined;
  }
  if (forms.length !== 1) {
    issues.add('target', path, 'give exactly one of `rack`, `az` or `from` (with an optional `count`)');
    return undefined;
  }
  const set: RawTargetSet = raw.from ?? (raw.rack !== undefined ? { rack: raw.rack } : { az: raw.az! });
  const pool = resolveSet(set, kind, world, raw.from !== undefined ? [...path, 'from'] : path, issues);
  if (issues.count > before) return undefined;
  if (raw.count !== undefined && raw.count > pool.length) {
    issues.add('target', [...path, 'count'], `count ${raw.count} is larger than the ${pool.length} ${POOL_WORDS[kind]}(s) it picks from`);
    return undefined;
  }
  return raw.count === undefined ? { pool, text } : { pool, count: raw.count, text };
}
