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

/** Known names, as a list (for did-you-mean) and a set (for the check, which runs per server). */
interface Known {
  list: readonly string[];
  set: ReadonlySet<string>;
}

const known = (list: readonly string[]): Known => ({ list, set: new Set(list) });

/** Lookups built once per scenario: servers can number hundreds of thousands. */
interface RefIndex {
  flavors: Known;
  images: Known;
  groups: Known;
  hosts: Known;
  zones: Known;
  zoneOfHost: ReadonlyMap<string, string>;
}

function indexRefs(refs: ServerRefs): RefIndex {
  const computes = refs.topology.computes;
  return {
    flavors: known(refs.flavors), images: known(refs.images), groups: known(refs.groups),
    hosts: known(computes.map((c) => c.name)), zones: known([...new Set(computes.map((c) => c.az))]),
    zoneOfHost: new Map(computes.map((c) => [c.name, c.az])),
  };
}

/** Records a reference to an unknown entity, with a did-you-mean over the known ones. */
function checkRef(value: string | undefined, names: Known, what: string, path: (string | number)[], issues: Issues): void {
  if (value === undefined || names.set.has(value)) return;
  const known = names.list;
  const none = known.length === 0 ? ` (there are no ${what}s)` : didYouMean(value, known);
  issues.add('semantic', path, `unknown ${what} \`${value}\`${none}`);
}

/** Checks the references of one expanded server, at the path of the entry it came from. */
function checkServer(s: ServerSpec, refs: RefIndex, path: (string | number)[], issues: Issues): void {
  checkRef(s.flavor, refs.flavors, 'flavor', [...path, 'flavor'], issues);
  checkRef(s.image, refs.images, 'image', [...path, 'image'], issues);
  checkRef(s.host, refs.hosts, 'host', [...path, 'host'], issues);
  checkRef(s.az, refs.zones, 'availability zone', [...path, 'az'], issues);
  checkRef(s.group, refs.groups, 'server group', [...path, 'group'], issues);
  const pinnedZone = s.host === undefined ? undefined : refs.zoneOfHost.get(s.host);
  if (pinnedZone !== undefined && s.az !== undefined && refs.zones.set.has(s.az) && pinnedZone !== s.az) {
    issues.add('semantic', [...path, 'host'], `host \`${s.host}\` is in zone \`${pinnedZone}\`, not in the requested \`${s.az}\``);
  }
}

/** One server as the spec holds it (optional keys only when given). */
function toSpec(r: RawServer): ServerSpec {
  const s: ServerSpec = {
    name: r.name, flavor: r.flavor, image: r.image, storage: r.storage, tags: [...r.tags], metadata: stringMap(r.metadata),
  };
  if (r.userData) s.userData = r.userData;
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
  const index = indexRefs(refs);
  return expanded.map(({ item, index: at }) => {
    const spec = toSpec(item);
    checkServer(spec, index, ['servers', at], issues);
    return spec;
  });
}
