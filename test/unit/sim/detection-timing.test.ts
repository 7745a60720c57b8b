import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../harness/scenario/index.js';
import { buildWorld } from '../../../sim/build-world.js';
import type { World } from '../../../sim/world.js';

/** Two computes, one server each; Pacemaker's remote monitor every 20 s with a 30 s timeout (the guides' values). */
const world = (faults: string, seed: number): World => buildWorld(parseScenario(`ihasim: 1
name: detection
duration: 10m
topology: { controllers: 3, computes: [{ name: "c{1..2}", vcpus: 8, ramMb: 16384, diskGb: 100 }] }
flavors: { f: { vcpus: 1, ramMb: 1024, diskGb: 10 } }
images: { i: { properties: {} } }
servers: [{ name: "vm{1..2}", flavor: f, image: i }]
config: { pacemaker: { remoteMonitorInterval: 20s, remoteMonitorTimeout: 30s } }
recovery: { policy: instanceha }
faults:
${faults}
`), { seed, trace: true });

const detectedAt = (w: World, host: string): number =>
  w.trace.records.find((r) => r.type === 'pacemaker.node.unclean' && r.entity === host)!.t;

describe('Pacemaker detects a lost remote node at its next monitor tick plus the monitor timeout', () => {
  it('a dead host: between 30 s and 50 s after the failure, at a tick of its own monitor phase, for every seed', () => {
    const ticks = new Set<number>();
    for (let seed = 1; seed <= 20; seed++) {
      const w = world('  - { at: 1m, kind: host-power-loss, target: c1 }', seed);
      w.kernel.run(3 * 60_000);
      const delay = detectedAt(w, 'c1') - 60_000;
      expect(delay, `seed ${seed}`).toBeGreaterThanOrEqual(30_000);
      expect(delay, `seed ${seed}`).toBeLessThan(50_000);
      ticks.add(delay);
    }
    // The monitor phase is drawn per node and seed, so the detection time is not one constant.
    expect(ticks.size).toBeGreaterThan(5);
  });

  it('a crashed pacemaker_remote on a live host refuses the connection: detected within a second', () => {
    const w = world('  - { at: 1m, kind: pacemaker-remote-crash, target: c2 }', 1);
    w.kernel.run(3 * 60_000);
    expect(detectedAt(w, 'c2') - 60_000).toBeLessThanOrEqual(1_000);
  });

  it('a host hang is detected like a dead host: the connection times out', () => {
    const w = world('  - { at: 1m, kind: host-hang, target: c1, duration: 5m }', 3);
    w.kernel.run(3 * 60_000);
    const delay = detectedAt(w, 'c1') - 60_000;
    expect(delay).toBeGreaterThanOrEqual(30_000);
    expect(delay).toBeLessThan(50_000);
  });
});
