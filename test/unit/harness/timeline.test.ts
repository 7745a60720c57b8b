import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../harness/run/run-scenario.js';
import { describe as describeRecord } from '../../../harness/run/timeline.js';
import { loadScenario } from '../../../harness/scenario/index.js';

describe('timeline messages are for people', () => {
  it('simulated-ms fields read as durations; the trace keeps the milliseconds', async () => {
    const spec = await loadScenario(join(import.meta.dirname, '../../../scenarios/host-hang-fenced.yaml'));
    const { report, world } = runScenario(spec, { trace: true });
    const fault = report.events.find((e) => e.type === 'fault');
    expect(fault?.message).toMatch(/duration=5m00s/);
    expect(report.events.map((e) => e.message).join('\n')).not.toMatch(/Ms=/);
    expect(world.trace.records.find((r) => r.type === 'fault')).toMatchObject({ durationMs: 300_000 });
  });

  it('formats any *Ms number field and leaves other fields alone', () => {
    expect(describeRecord({ t: 0, type: 'x', entity: 'e', waitMs: 900_000, targets: ['a', 'b'], Ms: 3 })).toBe('wait=15m00s targets=a|b Ms=3');
  });
});
