import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario } from '../../harness/scenario/index.js';
import { runScenario } from '../../harness/run/run-scenario.js';

const playground = readFileSync(join(import.meta.dirname, '../../scenarios/check-6-computes.yaml'), 'utf8');
const withFaults = (faults: string): string =>
  playground.replace('  - { at: 2m, kind: host-power-loss, target: compute-2, duration: 6m }', faults);

describe('Pacemaker manages what runs on the nodes and on the DC', () => {
  it('a fenced compute that boots behind a mgmt partition stays held until the cluster has it back', async () => {
    // Found by `ihasim check` on the correct logic: compute-4 came back, was unfenced while only the minority
    // controller could reach it, crashed, and six evacuations were scheduled onto it and failed.
    const spec = await loadScenario(join(import.meta.dirname, '../fixtures/node-boots-behind-partition.yaml'));
    const { report, world } = runScenario(spec);
    expect(report.failures, report.replay).toEqual([]);
    const healAt = 60_000 + 170_000;
    const started = world.trace.records.filter((r) => r.type === 'nova-compute.starting' && r.entity === 'compute-4');
    expect(started.length).toBeGreaterThan(0);
    for (const r of started) expect(r.t).toBeGreaterThanOrEqual(healAt);
  });

  it('a DC that fails and is back at once starts NovaEvacuate again, so later failures are still recovered', () => {
    const spec = parseScenario(withFaults([
      '  - { at: 1m, kind: controller-failure, target: controller-1 }',
      '  - { at: 1m, kind: controller-restore, target: controller-1 }',
      '  - { at: 3m, kind: host-power-loss, target: compute-2, duration: 6m }',
    ].join('\n')));
    const { report, world } = runScenario(spec);
    expect(report.failures, report.replay).toEqual([]);
    expect(world.processes.running('nova-evacuate').map((p) => p.owner)).toEqual(['controller-1']);
    expect(report.metrics.recovery.count).toBeGreaterThan(0);
  });
});

describe('found by the checker once it ran faster: the returning compute', () => {
  const fixture = (name: string) => loadScenario(join(import.meta.dirname, `../fixtures/${name}.yaml`));

  it('drops a rebuild that waited in a held nova-compute while the instance was evacuated again', async () => {
    const { report, world } = runScenario(await fixture('stale-queued-rebuild'), { defects: ['fixed-wait-no-force-down'] });
    expect(report.violations.map((v) => v.invariant)).not.toContain('no-double-run');
    // Nova keeps the instance on its failed source until the rebuild finishes (resource_tracker
    // `finish_evacuation`), so this schedule no longer evacuates ha-01 a second time; the refusal of a stale queued
    // rebuild itself is pinned in test/unit/sim/nova-evacuation.test.ts.
    expect(world.trace.records.some((r) => r.type === 'nova.evacuate.done' && r.entity === 'ha-01')).toBe(true);
  });

  it('keeps a crashed nova-compute held until unfencing, and restarts pacemaker_remote so the node rejoins', async () => {
    const { report, world } = runScenario(await fixture('remote-crash-while-fenced'));
    expect(report.failures, report.replay).toEqual([]);
    const at = (type: string) => world.trace.records.find((r) => r.type === type && r.entity === 'compute-2')?.t ?? -1;
    expect(at('pacemaker-remote.restart')).toBeGreaterThan(at('pacemaker-remote.crash'));
    expect(at('nova-compute.starting')).toBeGreaterThan(at('pacemaker.node.online'));
  });
});
