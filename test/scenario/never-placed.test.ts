import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../harness/scenario/index.js';
import { runScenario } from '../../harness/run/run-scenario.js';
import { renderRun } from '../../harness/cli/terminal.js';

const fixture = join(import.meta.dirname, '../fixtures/overfilled-cloud.yaml');

describe('servers that no host can take at start are reported, never "unaffected"', () => {
  it('fails servers-placed (exit 2), lists each with outcome never-placed and reason no-valid-host', async () => {
    const { report } = runScenario(await loadScenario(fixture));
    const unplaced = report.instances.filter((o) => o.outcome === 'never-placed');
    // 2 hosts × 8 vCPUs / 2 vCPUs per server (allocation ratio 16 lets more in: count what the scheduler refused).
    expect(unplaced.length).toBeGreaterThan(0);
    expect(unplaced.length).toBe(report.metrics.instancesNeverPlaced);
    expect(unplaced.every((o) => o.reason === 'no-valid-host' && o.toHost === null)).toBe(true);
    expect(report.exitCode).toBe(2);
    const v = report.violations.find((x) => x.invariant === 'servers-placed')!;
    expect(v.message).toContain(`${unplaced.length} server(s) could not be placed at start`);
    const text = renderRun(report, { timeline: false });
    expect(text).toContain(`${unplaced.length} never-placed (no-valid-host)`);
    expect(text).toContain(`${40 - unplaced.length} unaffected`);
  });

  it('a scenario that means to overfill the cloud says so and passes', async () => {
    const spec = await loadScenario(fixture);
    const expecting = { ...spec, expect: { ...spec.expect, violations: ['servers-placed'] } };
    expect(runScenario(expecting).report.exitCode).toBe(0);
  });
});
