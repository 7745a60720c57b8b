import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../../harness/scenario/index.js';
import { controllerStanding, StandingMemo } from '../../../../harness/checkers/truth.js';
import { buildWorld } from '../../../../sim/build-world.js';
import type { World } from '../../../../sim/world.js';

const spec = (controllers: number) => parseScenario(`ihasim: 1
name: t
duration: 10m
topology: { controllers: ${controllers}, computes: [{ name: c1, vcpus: 8, ramMb: 8192, diskGb: 100 }] }
flavors: { f: { vcpus: 1, ramMb: 512, diskGb: 1 } }
images: { i: { properties: {} } }
servers: [{ name: s, flavor: f, image: i }]
recovery: { policy: instanceha }
`);

/** Every controller's remembered standing next to the one computed afresh. */
function both(world: World, memo: StandingMemo): { memo: string[]; fresh: string[] } {
  const names = [...world.controllers.keys()];
  return { memo: names.map((n) => memo.of(n)), fresh: names.map((n) => controllerStanding(world, n)) };
}

describe('a controller standing remembered between topology changes', () => {
  it('follows every change to the controllers and the mgmt network, whether or not the world signals it', () => {
    const world = buildWorld(spec(5), { seed: 1 });
    const memo = new StandingMemo(world);
    const seen: string[][] = [];
    const check = () => {
      const { memo: remembered, fresh } = both(world, memo);
      expect(remembered).toEqual(fresh);
      seen.push(remembered);
    };
    check();
    const split = world.nets.partition('mgmt', [['controller-1', 'controller-2'], ['controller-3', 'controller-4', 'controller-5']], false);
    check();
    world.controllers.get('controller-4')!.up = false;
    check();
    world.nets.setNic('controller-5', 'mgmt', false);
    check();
    world.nets.heal({ id: split.id });
    check();
    world.controllers.get('controller-4')!.up = true;
    world.nets.setNic('controller-5', 'mgmt', true);
    check();
    world.nets.partition('mgmt', [['controller-1'], ['controller-2', 'controller-3', 'controller-4', 'controller-5']], true);
    check();
    expect(seen).toEqual([
      ['quorate', 'quorate', 'quorate', 'quorate', 'quorate'],
      ['minority', 'minority', 'quorate', 'quorate', 'quorate'],
      ['minority', 'minority', 'minority', 'down', 'minority'],
      ['minority', 'minority', 'minority', 'down', 'minority'],
      ['quorate', 'quorate', 'quorate', 'down', 'minority'],
      ['quorate', 'quorate', 'quorate', 'quorate', 'quorate'],
      ['minority', 'quorate', 'quorate', 'quorate', 'quorate'],
    ]);
  });

  it('answers a name that is not a controller as down, like the truth', () => {
    const world = buildWorld(spec(2), { seed: 1 });
    expect(new StandingMemo(world).of('compute-1')).toBe('down');
  });
});
