/**
 * A random quantity as a scenario declares it. Every duration inside is in milliseconds; `choice` picks one
 * of its values with equal probability. Sampling lives in `rng.ts` (seeded by the run, never the global PRNG).
 */
export type Dist =
  | { kind: 'const'; value: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'normal'; mean: number; sd: number }
  | { kind: 'lognormal'; median: number; p99: number }
  | { kind: 'exponential'; mean: number }
  | { kind: 'choice'; values: readonly number[] };

export const constant = (value: number): Dist => ({ kind: 'const', value });
