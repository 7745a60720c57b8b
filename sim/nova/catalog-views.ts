import type { ScenarioSpec } from '../scenario-spec.js';
import type { World } from '../world.js';
import type { Ids } from '../ids.js';
import type { AggregateRecord, FlavorRecord, ImageRecord, ServerGroupRecord } from './records.js';

/** Flavors as Nova lists them; the id is the name (Nova accepts any string id). */
export function renderFlavors(spec: ScenarioSpec): FlavorRecord[] {
  return Object.entries(spec.flavors).map(([name, f]) => ({
    id: name, name, vcpus: f.vcpus, ramMb: f.ramMb, diskGb: f.diskGb, extraSpecs: { ...f.extraSpecs },
  }));
}

export function renderImages(spec: ScenarioSpec, ids: Ids): ImageRecord[] {
  return Object.entries(spec.images).map(([name, i]) => ({
    id: ids.stable(`image:${name}`), name, sizeMb: i.sizeMb, properties: { ...i.properties }, tags: [...i.tags],
  }));
}

/** The scenario's aggregates, with the hosts `add_host` added since (by aggregate name). */
export function renderAggregates(spec: ScenarioSpec, added: ReadonlyMap<string, readonly string[]> = new Map()): AggregateRecord[] {
  return Object.entries(spec.topology.aggregates).map(([name, a], idx) => ({
    id: idx + 1, name, az: a.metadata['availability_zone'] ?? null, hosts: [...a.hosts, ...(added.get(name) ?? [])], metadata: { ...a.metadata },
  }));
}

export function renderServerGroups(world: World): ServerGroupRecord[] {
  return Object.entries(world.spec.serverGroups).map(([name, g]) => ({
    id: world.ids.stable(`server-group:${name}`),
    name,
    policy: g.policy,
    members: [...world.instances.values()].filter((i) => i.spec.group === name).map((i) => i.uuid),
  }));
}

export function renderZones(world: World): { name: string; hosts: string[]; available: boolean }[] {
  const zones = new Map<string, string[]>();
  for (const h of world.hostList) {
    const list = zones.get(h.spec.az) ?? [];
    list.push(h.name);
    zones.set(h.spec.az, list);
  }
  return [...zones].map(([name, hosts]) => ({
    name,
    hosts,
    available: hosts.some((h) => world.nova.usable(world.hosts.get(h)!)),
  }));
}
