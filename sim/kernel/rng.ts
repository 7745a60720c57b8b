import type { Dist } from './dist-types.js';

/**
 * xoroshiro128+ exactly as pure-rand 8 implements it (`xoroshiro128plus(seed)`: its seeding and its `next`; the
 * runs recorded so far were drawn from pure-rand's), re-seedable in place: a scratch Rng takes a new fork's seed
 * without a new generator (see {@link Rng.becomeNumberedFork}). A test keeps it equal to pure-rand's.
 */
class Xoroshiro128Plus {
  private s01 = 0;
  private s00 = 0;
  private s11 = 0;
  private s10 = 0;

  constructor(seed: number) {
    this.reseed(seed);
  }

  reseed(seed: number): void {
    this.s01 = -1;
    this.s00 = ~seed;
    this.s11 = seed | 0;
    this.s10 = 0;
  }

  /** The next 32 bits, as a signed integer. */
  next(): number {
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
}

/** pure-rand's `uniformFloat64`: 26 + 27 random bits, a multiple of 2^-53 in [0, 1). */
const SCALE_26 = 1.4901161193847656e-8;
const SCALE_53 = 11102230246251565e-32;

/** FNV-1a of a name, mixed with a seed: a fork's seed depends on (parent seed, name) only, never on call order. */
function mix(seed: number, name: string): number {
  return avalanche(fnv(fnvStart(seed), name));
}

// The running hash is kept as an int32 (`| 0`), not the uint32 FNV is written with: the same 32 bits through ^,
// Math.imul and >>>, but a small integer V8 never boxes when a helper is not inlined.
function fnvStart(seed: number): number {
  return 0x811c9dc5 ^ seed;
}

function fnv(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = fnvByte(h, text.charCodeAt(i));
  return h;
}

function fnvByte(h: number, code: number): number {
  return Math.imul(h ^ code, 0x01000193);
}

/** FNV-1a over the decimal digits of `n` (a non-negative safe integer), as `fnv(h, String(n))` hashes them. */
function fnvDecimal(h: number, n: number): number {
  const digits = decimalDigits;
  let count = 0;
  do {
    digits[count++] = n % 10;
    n = (n - (n % 10)) / 10;
  } while (n > 0);
  while (count > 0) h = fnvByte(h, 48 + digits[--count]!);
  return h;
}

/** Scratch for fnvDecimal (a safe integer has at most 16 digits). */
const decimalDigits = new Uint8Array(16);

/** The seed of the fork named `prefix + n`, for a number written out as `String(n)` writes it. */
function numberedForkSeed(seed: number, prefix: string, n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) return mix(seed, prefix + n);
  return avalanche(fnvDecimal(fnv(fnvStart(seed), prefix), n));
}

function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h | 0;
}

/** z-score of the 99th percentile of the standard normal distribution. */
const Z99 = 2.3263478740408408;

/**
 * A seeded PRNG (xoroshiro128+) with named forks. Each subsystem takes its own fork, so a change in
 * how often one subsystem draws does not shift the numbers another one sees.
 */
export class Rng {
  private readonly gen: Xoroshiro128Plus;
  private currentSeed: number;

  constructor(seed: number) {
    this.currentSeed = seed | 0;
    this.gen = new Xoroshiro128Plus(this.currentSeed);
  }

  get seed(): number {
    return this.currentSeed;
  }

  fork(name: string): Rng {
    return new Rng(mix(this.seed, name));
  }

  /**
   * `fork(prefix + n)` without building that name: for forks made by the hundred per run (a steady status poll's
   * latency is a fork named by host and time), where the string was most of the cost.
   */
  forkNumbered(prefix: string, n: number): Rng {
    return new Rng(numberedForkSeed(this.seed, prefix, n));
  }

  /**
   * This Rng becomes `parent.forkNumbered(prefix, n)` (the same numbers from here on), in place: for a scratch Rng
   * whose owner draws from each fork at once and makes hundreds (a steady status poll: one fork per query), where
   * a new Rng and generator per fork were most of what the polls allocated.
   */
  becomeNumberedFork(parent: Rng, prefix: string, n: number): this {
    this.currentSeed = numberedForkSeed(parent.seed, prefix, n);
    this.gen.reseed(this.currentSeed);
    return this;
  }

  /** 32 random bits as an unsigned integer. */
  uint32(): number {
    return this.gen.next() >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    const high = this.gen.next() & 0x3ffffff;
    const low = this.gen.next() & 0x7ffffff;
    return high * SCALE_26 + low * SCALE_53;
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
