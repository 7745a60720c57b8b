/**
 * The worker side of `ihasim check --jobs N` (harness/check/schedule-slice.ts), in this thread: a slice runs its
 * schedules in order up to its first failure, records it for the other workers, and skips what can no longer be
 * the first failure or what a stop has made unwanted.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../harness/scenario/index.js';
import { DrawStream } from '../../../harness/check/draws.js';
import { firstFailureOf, newSearchState, requestStop, runScheduleSlice, type ScheduleSlice } from '../../../harness/check/schedule-slice.js';

const file = join(import.meta.dirname, '../../../scenarios/check-6-computes.yaml');
// `ihasim check scenarios/check-6-computes.yaml --defect trust-bmc-ok --seed 5` first fails at schedule 12.
const FIRST_FAILURE = 12;

async function sliceOf(from: number, to: number, state: SharedArrayBuffer): Promise<ScheduleSlice> {
  const spec = await loadScenario(file);
  return { kind: 'schedules', spec, from, draws: new DrawStream(spec.check, 5).take(from, to), defects: ['trust-bmc-ok'], state };
}

describe('check --jobs: a slice of schedules', () => {
  it('runs up to and including its first failure, and lowers the shared first failure to it', async () => {
    const state = newSearchState(1000);
    const out = runScheduleSlice(await sliceOf(0, 20, state));
    expect(out).toHaveLength(FIRST_FAILURE + 1);
    expect(out.map((r) => r.failed)).toEqual([...Array(FIRST_FAILURE).fill(false), true]);
    expect(firstFailureOf(state)).toBe(FIRST_FAILURE);
  });

  it('runs nothing past a failure another worker met; a slice below it still runs', async () => {
    const state = newSearchState(1000);
    runScheduleSlice(await sliceOf(FIRST_FAILURE, FIRST_FAILURE + 1, state));
    expect(firstFailureOf(state)).toBe(FIRST_FAILURE);
    expect(runScheduleSlice(await sliceOf(FIRST_FAILURE + 1, FIRST_FAILURE + 8, state))).toEqual([]);
    // A slice below the failure still runs: one of its schedules could fail first.
    expect(runScheduleSlice(await sliceOf(0, 3, state))).toHaveLength(3);
  });

  it('runs nothing once the search is stopped', async () => {
    const state = newSearchState(1000);
    requestStop(state);
    expect(runScheduleSlice(await sliceOf(0, 5, state))).toEqual([]);
    expect(firstFailureOf(state)).toBe(1000);
  });
});
