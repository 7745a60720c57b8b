/**
 * Finding instances by UUID and by name, as Nova's API and the fault catalogue do: exact, for every seed of a
 * scenario (the name index is built once per scenario and shared by its seeds).
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../harness/scenario/index.js';
import { buildWorld } from '../../../sim/build-world.js';
import { Ids, uuidIndex } from '../../../sim/ids.js';
import { Rng } from '../../../sim/kernel/rng.js';

const spec = parseScenario(
  `ihasim: 1
name: lookups
duration: 1m
topology:
  computes:
    - { name: "compute-{01..03}" }
flavors:
  m1.small: { vcpus: 1, ramMb: 2048, diskGb: 20 }
images:
  cirros: {}
servers:
  - { name: "web-{01..20}", flavor: m1.small, image: cirros }
recovery: { policy: external }
`,
  'lookups.yaml',
);

describe('instance UUIDs carry their position', () => {
  it('reads back the index of every indexed UUID, up to the largest', () => {
    const ids = new Ids(new Rng(3));
    for (const index of [0, 1, 15, 16, 255, 319, 65_535, 1_000_000, 0xffff_ffff]) expect(uuidIndex(ids.indexedUuid(index))).toBe(index);
  });

  it('gives -1 for text that cannot be an indexed UUID', () => {
    const uuid = new Ids(new Rng(3)).indexedUuid(42);
    expect(uuidIndex(uuid.slice(1))).toBe(-1);
    expect(uuidIndex(`${uuid}0`)).toBe(-1);
    expect(uuidIndex(`${uuid.slice(0, 35)}g`)).toBe(-1);
    expect(uuidIndex(`${uuid.slice(0, 28)}-0000001`)).toBe(-1);
    expect(uuidIndex(`${uuid.slice(0, 28)}0000002A`)).toBe(42);
  });
});

describe('a world finds its instances', () => {
  it('by UUID and by name, in every seed; never a stranger', () => {
    for (const seed of [1, 2]) {
      const world = buildWorld(spec, { seed, trace: false });
      const all = [...world.instances.values()];
      expect(all.map((i) => i.name)).toEqual(spec.servers.map((s) => s.name));
      for (const inst of all) {
        expect(world.instances.get(inst.uuid)).toBe(inst);
        expect(world.instancesByName.get(inst.name)).toBe(inst);
      }
      expect(world.instancesByName.get('web-21')).toBeUndefined();
      expect(world.instances.get(all[0]!.uuid.replace(/.$/, (c) => (c === '0' ? '1' : '0')))).toBeUndefined();
    }
  });

  it('each seed its own instances, with UUIDs of its own seed', () => {
    const a = buildWorld(spec, { seed: 1, trace: false });
    const b = buildWorld(spec, { seed: 2, trace: false });
    expect(b.instancesByName.get('web-05')).not.toBe(a.instancesByName.get('web-05'));
    expect(b.instancesByName.get('web-05')!.uuid).not.toBe(a.instancesByName.get('web-05')!.uuid);
    expect(buildWorld(spec, { seed: 1, trace: false }).instancesByName.get('web-05')!.uuid).toBe(a.instancesByName.get('web-05')!.uuid);
  });
});
