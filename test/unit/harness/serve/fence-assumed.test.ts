/**
 * Defect `trust-bmc-ok`: the agent takes the BMC's OK for the power being off without polling status. The trace
 * must say so (`fence.power-off-assumed`), in the simulated fence agent and in the served BMCs alike, and keep
 * `fence.power-off-confirmed` for power-offs a status read confirmed.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../../harness/run/run-scenario.js';
import { loadScenario } from '../../../../harness/scenario/index.js';
import { WorldBmcBackend } from '../../../../harness/serve/world-bmc-backend.js';
import { buildWorld } from '../../../../sim/build-world.js';
import type { World } from '../../../../sim/world.js';
import { serveSpec } from '../../../support/serve-scenario.js';

const fenceEvents = (world: World) => world.trace.records.filter((r) => r.type.startsWith('fence.power-off-')).map((r) => r.type);

describe('trust-bmc-ok: power-off assumed, not confirmed', () => {
  it('the simulated fence agent emits fence.power-off-assumed under the defect, confirmed without it', async () => {
    const spec = await loadScenario('scenarios/host-power-loss-fast-detection-forcedown.yaml');
    const withDefect = runScenario(spec, { defects: ['trust-bmc-ok'] });
    expect(fenceEvents(withDefect.world)).toContain('fence.power-off-assumed');
    expect(fenceEvents(withDefect.world)).not.toContain('fence.power-off-confirmed');
    // The report's timeline shows it, and the fence duration is still measured (Pacemaker was told).
    expect(JSON.stringify(withDefect.report)).toContain('fence.power-off-assumed');
    expect(withDefect.report.instances.some((i) => typeof i.phases?.fenceMs === 'number')).toBe(true);
    const sound = runScenario(spec);
    expect(fenceEvents(sound.world)).toContain('fence.power-off-confirmed');
    expect(fenceEvents(sound.world)).not.toContain('fence.power-off-assumed');
  });

  it('the served BMC backend emits fence.power-off-assumed on the off it accepted, and no confirmation after', async () => {
    const world = buildWorld(serveSpec(), { seed: 3, trace: true, defects: ['trust-bmc-ok'] });
    world.kernel.run(60_000);
    const backend = new WorldBmcBackend(world);
    await backend.powerAction('compute-02', 'off', 'ipmi');
    expect(fenceEvents(world)).toEqual(['fence.power-off-assumed']);
    world.kernel.run(world.kernel.now + 120_000);
    expect(backend.power('compute-02')).toBe('off');
    expect(fenceEvents(world)).toEqual(['fence.power-off-assumed']);
  });

  it('without the defect the served backend confirms on the status read that sees off', async () => {
    const world = buildWorld(serveSpec(), { seed: 3, trace: true });
    world.kernel.run(60_000);
    const backend = new WorldBmcBackend(world);
    await backend.powerAction('compute-02', 'off', 'ipmi');
    expect(fenceEvents(world)).toEqual([]);
    world.kernel.run(world.kernel.now + 120_000);
    expect(backend.power('compute-02')).toBe('off');
    expect(fenceEvents(world)).toEqual(['fence.power-off-confirmed']);
  });
});
