import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../harness/scenario/index.js';
import { buildWorld } from '../../sim/build-world.js';
import type { World } from '../../sim/world.js';
import { injectFault, undoInjectedFault } from '../../sim/faults/inject.js';
import type { FaultSpec } from '../../sim/scenario-spec.js';

const playground = readFileSync(join(import.meta.dirname, '../../scenarios/check-6-computes.yaml'), 'utf8');
const worldWith = (...faults: string[]): World =>
  buildWorld(parseScenario(playground.replace('  - { at: 2m, kind: host-power-loss, target: compute-2, duration: 6m }', faults.join('\n'))), { seed: 1 });
const MIN = 60_000;

describe('overlapping faults on one target: each holds it until its own undo, the target returns when none holds it', () => {
  it('a second power loss keeps the host off after the first one ends', () => {
    const w = worldWith(
      '  - { at: 1m, kind: host-power-loss, target: compute-2, duration: 4m }',
      '  - { at: 3m, kind: host-power-loss, target: compute-2, duration: 6m }',
    );
    const h = w.hosts.get('compute-2')!;
    w.kernel.run(6 * MIN);
    expect(h.mains, 'the first undo (at 5m) must not restore power the second loss (until 9m) still cuts').toBe(false);
    expect(w.trace.records.some((r) => r.type === 'fault.still-held' && r.entity === 'host-power-loss')).toBe(true);
    w.kernel.run(10 * MIN);
    expect(h.mains).toBe(true);
  });

  it('a controller failed twice stays failed until the later failure ends', () => {
    const w = worldWith(
      '  - { at: 1m, kind: controller-failure, target: controller-1, duration: 2m }',
      '  - { at: 2m, kind: controller-failure, target: controller-1, duration: 5m }',
    );
    w.kernel.run(4 * MIN);
    expect(w.controllers.get('controller-1')!.up).toBe(false);
    w.kernel.run(8 * MIN);
    expect(w.controllers.get('controller-1')!.up).toBe(true);
  });

  it('a broken BMC stays broken when an overlapping unreachable ends; a slow BMC stays slow', () => {
    const w = worldWith(
      '  - { at: 1m, kind: bmc-broken, target: compute-3, duration: 6m }',
      '  - { at: 2m, kind: bmc-unreachable, target: compute-3, duration: 1m }',
      '  - { at: 2m, kind: bmc-slow, target: compute-4, latency: 20s, duration: 6m }',
      '  - { at: 3m, kind: bmc-unreachable, target: compute-4, duration: 1m }',
    );
    w.kernel.run(2 * MIN + 1);
    expect(w.bmcs.get('compute-3')!.condition).toBe('unreachable');
    w.kernel.run(5 * MIN);
    expect(w.bmcs.get('compute-3')!.condition).toBe('broken');
    expect(w.bmcs.get('compute-4')!.condition).toBe('ok');
    expect(w.bmcs.get('compute-4')!.extraLatency).not.toBeNull();
    w.kernel.run(9 * MIN);
    expect(w.bmcs.get('compute-3')!.condition).toBe('ok');
    expect(w.bmcs.get('compute-4')!.extraLatency).toBeNull();
  });

  it('an explicit power-restore in the scenario restores at once, and the timed undo after it does nothing', () => {
    const w = worldWith(
      '  - { at: 1m, kind: host-power-loss, target: compute-2, duration: 8m }',
      '  - { at: 3m, kind: power-restore, target: compute-2 }',
    );
    w.kernel.run(4 * MIN);
    expect(w.hosts.get('compute-2')!.mains).toBe(true);
    w.kernel.run(10 * MIN);
    expect(w.trace.records.filter((r) => r.type === 'fault.undo' && r.entity === 'host-power-loss')).toEqual([]);
  });

  it('two hangs of one host: it resumes only when the later one ends', () => {
    const w = worldWith(
      '  - { at: 1m, kind: host-hang, target: compute-5, duration: 2m }',
      '  - { at: 2m, kind: host-hang, target: compute-5, duration: 3m }',
    );
    w.kernel.run(4 * MIN);
    expect(w.trace.records.filter((r) => r.type === 'fault.undo' && r.entity === 'host-hang')).toEqual([]);
    w.kernel.run(6 * MIN);
    expect(w.trace.records.filter((r) => r.type === 'fault.undo' && r.entity === 'host-hang').length).toBe(1);
  });

  it('undoing one injected fault by hand (serve\'s heal by id) keeps a target another fault holds, and only once', () => {
    const w = worldWith('  - { at: 1m, kind: host-reboot, target: compute-6 }');
    w.kernel.run(MIN);
    const loss = (): FaultSpec => ({ atMs: w.kernel.now, kind: 'host-power-loss', target: { pool: ['compute-2'], text: 'compute-2' } });
    const first = loss();
    const second = { ...loss(), durationMs: 5 * MIN };
    injectFault(w, first);
    injectFault(w, second);
    expect(undoInjectedFault(w, first)).toBe(true);
    expect(w.hosts.get('compute-2')!.mains).toBe(false);
    expect(undoInjectedFault(w, first)).toBe(false);
    w.kernel.run(7 * MIN);
    expect(w.hosts.get('compute-2')!.mains).toBe(true);
    expect(undoInjectedFault(w, second)).toBe(false);
  });
});
