/**
 * A finding about real Nova: `ComputeManager.rebuild_instance` on a destination that dies (here: is fenced) after
 * taking the rebuild writes nothing (the fixture was re-found by `ihasim check` on the model with Pacemaker's
 * fencing retries; see its description). The migration stays `pre-migrating`, the instance `rebuilding` on its failed
 * source, and nothing retries it: reason `rebuild-lost`, which breaks recovery-bounded unless a scenario allows it.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../harness/scenario/index.js';
import { runScenario } from '../../harness/run/run-scenario.js';

const fixture = join(import.meta.dirname, '../fixtures/rebuild-lost-false-fence.yaml');

describe('rebuild lost with a fenced destination (rebuild_instance dies with its nova-compute)', () => {
  it('fails recovery-bounded with reason rebuild-lost, the instance left rebuilding on its failed source', async () => {
    const { report, world } = runScenario(await loadScenario(fixture));
    expect(report.exitCode).toBe(2);
    expect(report.violations.map((v) => v.message)).toEqual([expect.stringMatching(/^ha-12 not recovered \(rebuild-lost\)/)]);
    const ha12 = world.instancesByName.get('ha-12')!;
    expect(world.nova.instance(ha12.uuid)).toMatchObject({ host: 'compute-6', vmState: 'active', taskState: 'rebuilding' });
    expect(world.nova.migrations({ instanceUuid: ha12.uuid }).map((m) => m.status)).toEqual(['completed']);
  });

  it('passes when the scenario allows rebuild-lost', async () => {
    const spec = await loadScenario(fixture);
    const { report } = runScenario({ ...spec, expect: { ...spec.expect, allowedReasons: [...spec.expect.allowedReasons, 'rebuild-lost'] } });
    expect(report.failures).toEqual([]);
  });
});
