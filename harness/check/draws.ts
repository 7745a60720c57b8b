import fc from 'fast-check';
import type { CheckSpec } from '../../sim/scenario-spec.js';
import { scheduleArbitrary } from './arbitraries.js';
import type { GeneratedFault } from './schedule.js';

/** What fast-check draws for one run of `ihasim check`: a fault schedule and the simulation seed it runs with. */
export type Draw = [schedule: GeneratedFault[], simSeed: number];

/**
 * The arbitraries of one check run, in the order the property takes them. The search, its replay and
 * {@link DrawStream} all build them here, so they cannot drift apart.
 */
export function drawArbitraries(check: CheckSpec, maxFaults?: number): [fc.Arbitrary<GeneratedFault[]>, fc.Arbitrary<number>] {
  return [scheduleArbitrary(check, maxFaults), fc.integer({ min: 0, max: 0x7fffffff })];
}

/** Fewest draws made per refill: below this the replay-path jumps (see {@link DrawStream}) are not worth a call. */
const MIN_CHUNK = 256;
/** Most draws held at once: schedules are small, but a million-run search should not hold them all. */
const MAX_CHUNK = 8192;

/**
 * The draws of runs i, i+1, … exactly as `fc.check(fc.asyncProperty(a, b, …), { seed })` makes them, so that
 * worker threads can run them and the first failing index is the one the one-thread search meets first.
 *
 * Why this holds (fast-check 4.10, lib/fast-check.js, regions src/check/runner/Tosser.ts and Sampler.ts):
 * `check` without a path draws run i through `toss`: one generator made from the seed, `jump()`ed once per run,
 * and `generate(new Random(rng), i)` with the bias `runIdToFrequency(i)`, which depends on i alone.
 * `fc.sample(arb, { seed, path: 'k' })` goes through `lazyToss` + `pathWalk`, which make the same jumps and drop
 * the first k draws unevaluated, then generate with the same run index; its `Property` wrapper and
 * `asyncProperty`'s `tuple(AlwaysShrinkableArbitrary…)` both hand the bias straight to the tuple. So draw i depends
 * only on (seed, i). test/unit/harness/check-draws.test.ts checks it on the installed version, so an upgrade that
 * broke it fails there, not silently here.
 *
 * Reaching index k costs k jumps (fast, but linear), so draws are made in chunks that grow with the index.
 */
export class DrawStream {
  private readonly arb: fc.Arbitrary<Draw>;
  private chunk: Draw[] = [];
  private chunkStart = 0;

  constructor(check: CheckSpec, private readonly seed: number, maxFaults?: number) {
    this.arb = fc.tuple(...drawArbitraries(check, maxFaults));
  }

  /** Draws of runs from..to-1. Cheapest when called with increasing, adjacent ranges (as a search does). */
  take(from: number, to: number): Draw[] {
    const out: Draw[] = [];
    for (let i = from; i < to; i++) {
      if (i < this.chunkStart || i >= this.chunkStart + this.chunk.length) this.refill(i);
      out.push(this.chunk[i - this.chunkStart]!);
    }
    return out;
  }

  private refill(from: number): void {
    const size = Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, Math.floor(from / 8)));
    this.chunk = fc.sample(this.arb, { seed: this.seed, path: String(from), numRuns: size });
    this.chunkStart = from;
  }
}
