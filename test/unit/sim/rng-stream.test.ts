/**
 * Every seeded run depends on the exact numbers the PRNG gives: Rng keeps xoroshiro128+ in its own fields, and must
 * give the numbers pure-rand's generator gives, draw for draw, for any seed (stored seeds, replays and the
 * checked-in digests rely on it).
 */
import { describe, expect, it } from 'vitest';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { Rng } from '../../../sim/kernel/rng.js';

const SEEDS = [0, 1, 2, 7, 42, -1, 0x7fff_ffff, -0x8000_0000, 0xffff_ffff, 123_456_789, 2 ** 40 + 5];

describe("Rng draws pure-rand's xoroshiro128+ numbers", () => {
  it('the same 32-bit words, for seeds across the whole range', () => {
    for (const seed of SEEDS) {
      const ours = new Rng(seed);
      const theirs = xoroshiro128plus(seed | 0);
      for (let i = 0; i < 2000; i++) expect(ours.uint32()).toBe(theirs.next() >>> 0);
    }
  });

  it('the same floats in [0, 1), interleaved with words as a run interleaves them', () => {
    for (const seed of SEEDS) {
      const ours = new Rng(seed);
      const theirs = xoroshiro128plus(seed | 0);
      for (let i = 0; i < 2000; i++) {
        if (i % 3 === 0) expect(ours.uint32()).toBe(theirs.next() >>> 0);
        else expect(ours.float()).toBe(uniformFloat64(theirs));
      }
    }
  });

  it('forks are generators of the same kind, seeded by name', () => {
    for (const seed of SEEDS) {
      const fork = new Rng(seed).fork('fencing').fork('compute-07@300000');
      const theirs = xoroshiro128plus(fork.seed);
      for (let i = 0; i < 200; i++) expect(fork.float()).toBe(uniformFloat64(theirs));
    }
  });
});
