/**
 * The seeds ihasim accepts: 0..4294967295 (an unsigned 32-bit integer). The simulator's PRNG takes 32 bits
 * (sim/kernel/rng.ts), so within this range every seed is its own run, and outside it two seeds would alias
 * (4294967297 would replay seed 1) or be rounded (above 2^53): they are refused instead.
 */
export const MAX_SEED = 0xffff_ffff;

/** Most runs one `--seeds N` may ask for: beyond it a typo (an extra zero or three) is likelier than intent. */
export const MAX_SEED_COUNT = 10_000_000;

export const SEED_RANGE_TEXT = `0..${MAX_SEED}`;

export function isSeed(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= MAX_SEED;
}
