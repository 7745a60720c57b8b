import type { FaultKind, FaultSpec, NetworkName } from '../../sim/scenario-spec.js';
import { tryExpandBraces } from './braces.js';
import { readDist, readDuration } from './distribution.js';
import { FAULT_EXTRAS, FAULT_RULES, type FaultExtra, type FaultKindRule } from './fault-kinds.js';
import { formatDuration } from './duration.js';
import type { Issues } from './issues.js';
import type { RawFault } from './raw-types.js';
import { resolveTarget, type TargetWorld } from './targets.js';
import { didYouMean, matchPattern } from './name-match.js';

type Path = (string | number)[];

/** Whether an optional key was given (booleans defaulting to false only count when true; `ipmi` has no default). */
function given(f: RawFault, key: FaultExtra | 'duration' | 'network' | 'target'): boolean {
  const v = f[key];
  return typeof v === 'boolean' && key !== 'ipmi' ? v : v !== undefined;
}

/** Checks which optional keys this kind takes, needs and refuses. */
function checkKeys(f: RawFault, rule: FaultKindRule, path: Path, issues: Issues): void {
  for (const key of FAULT_EXTRAS) {
    if (given(f, key) && !rule.extras.includes(key)) issues.add('semantic', [...path, key], `\`${key}\` does not apply to ${f.kind}`, { key: true });
  }
  for (const key of rule.needs ?? []) if (!given(f, key)) issues.add('semantic', path, `${f.kind} needs \`${key}\``);
  if (rule.network === 'required' && !given(f, 'network')) issues.add('semantic', path, `${f.kind} needs \`network\` (mgmt, ipmi, storage or tenant)`);
  if (rule.network === 'none' && given(f, 'network')) issues.add('semantic', [...path, 'network'], `\`network\` does not apply to ${f.kind}`, { key: true });
  if (!rule.duration && given(f, 'duration')) {
    issues.add('semantic', [...path, 'duration'], `${f.kind} takes no \`duration\` (it does not undo itself)`, { key: true });
  }
  if (rule.target === 'none' && given(f, 'target')) {
    const how = f.kind === 'network-partition' ? ': name the nodes in `groups`' : '';
    issues.add('target', [...path, 'target'], `${f.kind} takes no \`target\`${how}`, { key: true });
  }
  const needsTarget = rule.target === 'compute' || rule.target === 'controller' || rule.target === 'server';
  if (needsTarget && !given(f, 'target')) issues.add('target', path, `${f.kind} needs a \`target\``);
}

/**
 * Resolves the groups of a partition over computes and controllers (each group in topology order: computes,
 * then controllers). A node belongs to the first group that names it: a glob in a later group skips it, but
 * naming it exactly in two groups is an error.
 */
function readGroups(groups: RawFault['groups'] & {}, world: TargetWorld, path: Path, issues: Issues): string[][] {
  const nodes = [...world.computes.map((c) => c.name), ...world.controllers];
  const owner = new Map<string, number>();
  return groups.map((group, g) => {
    const out = new Set<string>();
    const before = issues.count;
    group.forEach((member, i) => {
      if (typeof member !== 'string') return placeMembers(member, world, [...path, g, i], issues).forEach((h) => {
        if (!owner.has(h)) (owner.set(h, g), out.add(h));
      });
      const pattern = member;
      const expanded = tryExpandBraces(pattern);
      if (!expanded.ok) return issues.add('target', [...path, g, i], expanded.problem);
      for (const name of expanded.names) {
        const hits = matchPattern(name, nodes);
        if (hits.length === 0) issues.add('target', [...path, g, i], `no compute or controller matches \`${name}\`${didYouMean(name, nodes)}`);
        for (const h of hits) {
          const first = owner.get(h);
          if (first === undefined) (owner.set(h, g), out.add(h));
          else if (first !== g && h === name) issues.add('target', [...path, g, i], `\`${h}\` is already in group ${first + 1}`);
        }
      }
    });
    if (out.size === 0 && issues.count === before) issues.add('target', [...path, g], 'this group is empty (its nodes are all in earlier groups)');
    return nodes.filter((n) => out.has(n));
  });
}

/** A group member `{rack: r1}` or `{az: az1}`: its computes (a node already in an earlier group stays there). */
function placeMembers(member: { rack?: string; az?: string }, world: TargetWorld, path: Path, issues: Issues): string[] {
  const target = resolveTarget(member, 'compute', world, path, issues);
  return target?.pool ?? [];
}

/** Normalizes one fault (kind-specific keys checked, target resolved, durations in ms). */
function readFault(f: RawFault, durationMs: number, world: TargetWorld, path: Path, issues: Issues): FaultSpec {
  const kind = f.kind as FaultKind;
  const rule = FAULT_RULES[kind];
  const atMs = readDuration(f.at, [...path, 'at'], issues);
  if (atMs > durationMs) issues.add('semantic', [...path, 'at'], `the fault is at ${formatDuration(atMs)}, after the end of the run (duration ${formatDuration(durationMs)})`);
  checkKeys(f, rule, path, issues);
  const spec: FaultSpec = { atMs, kind };
  const pool = rule.target === 'optional-compute' ? 'compute' : rule.target;
  if (f.target !== undefined && pool !== 'none') {
    const target = resolveTarget(f.target, pool, world, [...path, 'target'], issues);
    if (target) spec.target = target;
  }
  if (f.network !== undefined && rule.network !== 'none') spec.network = f.network as NetworkName;
  if (f.groups !== undefined && rule.extras.includes('groups')) spec.groups = readGroups(f.groups, world, [...path, 'groups'], issues);
  if (rule.extras.includes('oneWay')) spec.oneWay = f.oneWay;
  if (f.duration !== undefined) spec.durationMs = readDuration(f.duration, [...path, 'duration'], issues);
  if (f.latency !== undefined) spec.latencyMs = readDist(f.latency, [...path, 'latency'], issues);
  if (rule.extras.includes('recurring')) spec.recurring = f.recurring;
  if (f.kdumpReboot !== undefined) spec.kdumpRebootMs = readDuration(f.kdumpReboot, [...path, 'kdumpReboot'], issues);
  if (f.rate !== undefined && rule.extras.includes('rate')) spec.rate = f.rate;
  if (f.ipmi !== undefined && rule.extras.includes('ipmi')) spec.ipmi = f.ipmi;
  if (f.bmcSharesPower) spec.bmcSharesPower = true;
  return spec;
}

/**
 * Normalizes the fault list, in the order written: times in ms (none after the run's end), targets resolved
 * by kind, kind-specific keys checked (`network` where needed, `groups` for partitions, …).
 */
export function readFaults(raw: readonly RawFault[], durationMs: number, world: TargetWorld, issues: Issues): FaultSpec[] {
  return raw.map((f, i) => readFault(f, durationMs, world, ['faults', i], issues));
}
