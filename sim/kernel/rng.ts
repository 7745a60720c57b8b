import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { Dist } from './dist-types.js';

type Generator = ReturnType<typeof xoroshiro128plus>;

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

function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h | 0;
}

/** z-score of the 99th percentile of the standard normal distribution. */
const Z99 = 2.3263478740408408;

/**
 * A seeded PRNG (pure-rand's xoroshiro128+) with named forks. Each subsystem takes its own fork, so a change in
 * how often one subsystem draws does not shift the numbers another one sees.
 */
export class Rng {
  private readonly gen: Generator;
  readonly seed: number;

  constructor(seed: number) {
    this.seed = seed | 0;
    this.gen = xoroshiro128plus(this.seed);
  }

  fork(name: string): Rng {
    return new Rng(mix(this.seed, name));
  }

  /**
   * `fork(prefix + n)` without building that name: for forks made by the hundred per run (a steady status poll's
   * latency is a fork named by host and time), where the string was most of the cost.
   */
  forkNumbered(prefix: string, n: number): Rng {
    if (!Number.isSafeInteger(n) || n < 0) return this.fork(prefix + n);
    return new Rng(avalanche(fnvDecimal(fnv(fnvStart(this.seed), prefix), n)));
  }

  /** 32 random bits as an unsigned integer. */
  uint32(): number {
    return this.gen.next() >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.gen);
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
