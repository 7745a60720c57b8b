import type { AggregateSpec, ComputeSpec, TopologySpec } from '../../sim/scenario-spec.js';
import { tryExpandBraces } from './braces.js';
import { expandEntries } from './expand-entries.js';
import type { Issues } from './issues.js';
import type { RawStringMap, RawTopology } from './raw-types.js';
import { didYouMean, matchPattern } from './name-match.js';

/** Names of the `n` controllers. */
export function controllerNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `controller-${i + 1}`);
}

/** A map of scalars as strings (Nova stores metadata and extra specs as strings). */
export function stringMap(raw: RawStringMap): Record<string, string> {
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]));
}

/** Resolves the hosts of one aggregate (names, globs, brace ranges) to compute names in topology order. */
function aggregateHosts(patterns: readonly string[], computes: readonly string[], path: (string | number)[], issues: Issues): string[] {
  const chosen = new Set<string>();
  patterns.forEach((p, i) => {
    const expanded = tryExpandBraces(p);
    if (!expanded.ok) return issues.add('semantic', [...path, i], expanded.problem);
    for (const name of expanded.names) {
      const hits = matchPattern(name, computes);
      if (hits.length === 0) issues.add('semantic', [...path, i], `no compute matches \`${name}\`${didYouMean(name, computes)}`);
      hits.forEach((h) => chosen.add(h));
    }
  });
  return computes.filter((c) => chosen.has(c));
}

/** Expands the topology: compute brace ranges spread over racks and zones, aggregates resolved. */
export function readTopology(raw: RawTopology, issues: Issues): TopologySpec {
  const controllers = controllerNames(raw.controllers);
  const expanded = expandEntries(raw.computes, ['az', 'rack'], ['topology', 'computes'], issues, new Set(controllers));
  const computes: ComputeSpec[] = expanded.map(({ item: c }) => ({
    name: c.name, az: c.az, rack: c.rack, vcpus: c.vcpus, ramMb: c.ramMb, diskGb: c.diskGb, bmc: { ...c.bmc },
  }));
  const names = computes.map((c) => c.name);
  const aggregates: Record<string, AggregateSpec> = Object.fromEntries(
    Object.entries(raw.aggregates).map(([name, a]) => [name, {
      hosts: aggregateHosts(a.hosts, names, ['topology', 'aggregates', name, 'hosts'], issues),
      metadata: stringMap(a.metadata),
    }]),
  );
  return { controllers: raw.controllers, computes, aggregates };
}
