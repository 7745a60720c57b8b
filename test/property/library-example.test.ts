// The README's example of ihasim as a library inside a user's own vitest suite, with @fast-check/vitest.
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { join } from 'node:path';
import { loadScenario, runSchedule, scheduleArbitrary } from '../../index.js';

const spec = await loadScenario(join(import.meta.dirname, '../../scenarios/check-6-computes.yaml'));

test.prop([scheduleArbitrary(spec.check), fc.integer({ min: 0, max: 2 ** 31 - 1 })], { numRuns: 300 })(
  'library: no VM ever runs twice, whatever faults hit the cloud',
  (schedule, seed) => {
    const { violations } = runSchedule(spec, schedule, seed);
    expect(violations.filter((v) => v.invariant === 'no-double-run')).toEqual([]);
  },
);
