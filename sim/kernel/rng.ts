import type { Dist } from './dist-types.js';

/** FNV-1a of a name, mixed with a seed: a fork's seed depends on (parent seed, name) only, never on call order. */
function mix(seed: number, name: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h | 0;
}

/** z-score of the 99th percentile of the standard normal distribution. */
const Z99 = 2.3263478740408408;

/** 2^-26 and 2^-53, as pure-rand's `uniformFloat64` writes them. */
const SCALE26 = 1.4901161193847656e-8;
const SCALE53 = 11102230246251565e-32;

/**
 * A seeded PRNG (xoroshiro128+) with named forks. Each subsystem takes its own fork, so a change in how often one
 * subsystem draws does not shift the numbers another one sees.
 *
 * The generator is pure-rand's (`xoroshiro128plus`, `uniformFloat64`: test/unit/sim/rng-stream.test.ts checks the
 * draw against it), kept in this object's own fields: a run forks hundreds of short-lived streams (a fence agent's
 * steady status polls), and a separate generator object doubled each fork's allocation and every draw's indirection.
 */
export class Rng {
  readonly seed: number;
  /** The 128-bit state as four signed 32-bit halves, named as pure-rand's XoroShiro128Plus names them. */
  private s01: number;
  private s00: number;
  private s11: number;
  private s10: number;

  constructor(seed: number) {
    this.seed = seed | 0;
    // pure-rand `xoroshiro128plus(seed)`: new XoroShiro128Plus(-1, ~seed, seed | 0, 0).
    this.s01 = -1;
    this.s00 = ~this.seed;
    this.s11 = this.seed;
    this.s10 = 0;
  }

  fork(name: string): Rng {
    return new Rng(mix(this.seed, name));
  }

  /** pure-rand `XoroShiro128Plus.next`: the next 32 bits as a signed integer. */
  private next(): number {
    const out = (this.s00 + this.s10) | 0;
    const a0 = this.s10 ^ this.s00;
    const a1 = this.s11 ^ this.s01;
    const s00 = this.s00;
    const s01 = this.s01;
    this.s00 = (s00 << 24) ^ (s01 >>> 8) ^ a0 ^ (a0 << 16);
    this.s01 = (s01 << 24) ^ (s00 >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
    this.s10 = (a1 << 5) ^ (a0 >>> 27);
    this.s11 = (a0 << 5) ^ (a1 >>> 27);
    return out;
  }

  /** 32 random bits as an unsigned integer. */
  uint32(): number {
    return this.next() >>> 0;
  }

  /** Uniform in [0, 1): pure-rand `uniformFloat64` (53 random bits from two draws). */
  float(): number {
    const high = this.next() & 0x3ff_ffff;
    const low = this.next() & 0x7ff_ffff;
    return high * SCALE26 + low * SCALE53;
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.int(0, items.length - 1)]!;
  }

  /** `count` distinct items, in the order they were drawn (partial Fisher–Yates on a copy). */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = items.slice();
    const n = Math.min(count, copy.length);
    for (let i = 0; i < n; i++) {
      const j = this.int(i, copy.length - 1);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy.slice(0, n);
  }

  /** Standard normal by Box–Muller (two uniform draws per value: simple and deterministic). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Draw from a distribution; durations never come out negative. */
  draw(dist: Dist): number {
    const value = this.rawDraw(dist);
    return value > 0 ? value : 0;
  }

  private rawDraw(dist: Dist): number {
    switch (dist.kind) {
      case 'const':
        return dist.value;
      case 'uniform':
        return dist.min + this.float() * (dist.max - dist.min);
      case 'normal':
        return dist.mean + dist.sd * this.normal();
      case 'lognormal': {
        const mu = Math.log(dist.median);
        const sigma = (Math.log(dist.p99) - mu) / Z99;
        return Math.exp(mu + sigma * this.normal());
      }
      case 'exponential':
        return -dist.mean * Math.log(1 - this.float());
      case 'choice':
        return this.pick(dist.values);
    }
  }
}

/** The value a distribution centres on, for floors and documentation (no randomness). */
export function typical(dist: Dist): number {
  switch (dist.kind) {
    case 'const':
      return dist.value;
    case 'uniform':
      return (dist.min + dist.max) / 2;
    case 'normal':
      return dist.mean;
    case 'lognormal':
      return dist.median;
    case 'exponential':
      return dist.mean;
    case 'choice':
      return dist.values.reduce((a, b) => a + b, 0) / Math.max(1, dist.values.length);
  }
}

/** The smallest value a distribution can produce (for the theoretical floor). */
export function minimum(dist: Dist): number {
  switch (dist.kind) {
    case 'const':
      return dist.value;
    case 'uniform':
      return dist.min;
    case 'choice':
      return Math.min(...dist.values);
    default:
      return 0;
  }
}
