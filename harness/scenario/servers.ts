import type { ServerSpec, TopologySpec } from '../../sim/scenario-spec.js';
import { didYouMean } from './name-match.js';
import { expandEntries } from './expand-entries.js';
import type { Issues } from './issues.js';
import type { RawServer } from './raw-types.js';
import { stringMap } from './topology.js';

/** What a server may refer to. */
export interface ServerRefs {
  flavors: readonly string[];
  images: readonly string[];
  groups: readonly string[];
  topology: TopologySpec;
}

/** Records a reference to an unknown entity, with a did-you-mean over the known ones. */
function checkRef(value: string | undefined, known: readonly string[], what: string, path: (string | number)[], issues: Issues): void {
  if (value === undefined || known.includes(value)) return;
  const none = known.length === 0 ? ` (there are no ${what}s)` : didYouMean(value, known);
  issues.add('semantic', path, `unknown ${what} \`${value}\`${none}`);
}

/** Checks the references of one expanded server, at the path of the entry it came from. */
function checkServer(s: ServerSpec, refs: ServerRefs, path: (string | number)[], issues: Issues): void {
  const hosts = refs.topology.computes.map((c) => c.name);
  const zones = [...new Set(refs.topology.computes.map((c) => c.az))];
  checkRef(s.flavor, refs.flavors, 'flavor', [...path, 'flavor'], issues);
  checkRef(s.image, refs.images, 'image', [...path, 'image'], issues);
  checkRef(s.host, hosts, 'host', [...path, 'host'], issues);
  checkRef(s.az, zones, 'availability zone', [...path, 'az'], issues);
  checkRef(s.group, refs.groups, 'server group', [...path, 'group'], issues);
  const pinned = refs.topology.computes.find((c) => c.name === s.host);
  if (pinned && s.az !== undefined && zones.includes(s.az) && pinned.az !== s.az) {
    issues.add('semantic', [...path, 'host'], `host \`${pinned.name}\` is in zone \`${pinned.az}\`, not in the requested \`${s.az}\``);
  }
}

/** One server as the spec holds it (optional keys only when given). */
function toSpec(r: RawServer): ServerSpec {
  const s: ServerSpec = {
    name: r.name, flavor: r.flavor, image: r.image, storage: r.storage, tags: [...r.tags], metadata: stringMap(r.metadata),
  };
  if (r.host !== undefined) s.host = r.host;
  if (r.az !== undefined) s.az = r.az;
  if (r.group !== undefined) s.group = r.group;
  return s;
}

/**
 * Expands the servers (brace ranges in `name`; ranges in flavor, image, host, az or group spread in blocks)
 * and checks that each refers to a known flavor, image, host, zone and server group. A pinned host without
 * room is not an error here: the simulator reports it.
 */
export function readServers(raw: readonly RawServer[], refs: ServerRefs, issues: Issues): ServerSpec[] {
  const expanded = expandEntries(raw, ['flavor', 'image', 'host', 'az', 'group'], ['servers'], issues);
  return expanded.map(({ item, index }) => {
    const spec = toSpec(item);
    checkServer(spec, refs, ['servers', index], issues);
    return spec;
  });
}
