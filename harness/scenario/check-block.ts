import type { CheckSpec, FaultKind } from '../../sim/scenario-spec.js';
import { readDuration } from './distribution.js';
import type { Issues } from './issues.js';
import { matchPattern } from './name-match.js';
import type { RawCheck } from './raw-types.js';
import type { TargetWorld } from './targets.js';
import { DEFAULT_CHECK_KINDS } from './check-kinds.js';

export { DEFAULT_CHECK_KINDS };

const MIN = 60_000;

function pool(patterns: string[] | undefined, names: readonly string[], path: string, issues: Issues): string[] {
  if (patterns === undefined || patterns.length === 0) return [...names];
  const out = new Set<string>();
  patterns.forEach((p, i) => {
    const hit = matchPattern(p, names);
    if (hit.length === 0) issues.add('target', ['check', path, i], `\`${p}\` matches nothing in the scenario`);
    for (const n of hit) out.add(n);
  });
  return names.filter((n) => out.has(n));
}

/** The `check:` block with its defaults, names resolved; anything that allows no fault at all is an error. */
export function readCheck(raw: RawCheck, world: TargetWorld, expectBoundMs: number | undefined, issues: Issues): CheckSpec {
  const dur = (v: RawCheck['grid'], key: string, dflt: number): number => (v === undefined ? dflt : readDuration(v, ['check', key], issues));
  const windowMs: [number, number] = raw.window
    ? [readDuration(raw.window[0], ['check', 'window', 0], issues), readDuration(raw.window[1], ['check', 'window', 1], issues)]
    : [MIN, 10 * MIN];
  const spec: CheckSpec = {
    kinds: (raw.faults as FaultKind[] | undefined) ?? [...DEFAULT_CHECK_KINDS],
    hosts: pool(raw.hosts, world.computes.map((c) => c.name), 'hosts', issues),
    controllers: pool(raw.controllers, world.controllers, 'controllers', issues),
    servers: pool(raw.servers, world.servers, 'servers', issues),
    windowMs,
    maxFaults: raw.maxFaults,
    maxConcurrent: raw.maxConcurrent,
    maxDurationMs: dur(raw.maxDuration, 'maxDuration', 5 * MIN),
    gridMs: dur(raw.grid, 'grid', 10_000),
    recoveryBoundMs: dur(raw.recoveryBound, 'recoveryBound', expectBoundMs ?? 10 * MIN),
  };
  if (windowMs[1] < windowMs[0]) issues.add('semantic', ['check', 'window'], 'the window ends before it starts');
  if (spec.gridMs <= 0) issues.add('semantic', ['check', 'grid'], 'the grid must be longer than 0');
  if (spec.maxDurationMs < spec.gridMs) issues.add('semantic', ['check', 'maxDuration'], 'maxDuration must be at least one grid step');
  if (spec.recoveryBoundMs <= 0) issues.add('semantic', ['check', 'recoveryBound'], 'the recovery bound must be longer than 0');
  return spec;
}
