import { setFlagsFromString } from 'node:v8';

/**
 * Process-wide V8 setting for simulation workloads, applied by the entry points (the CLI, the benchmarks), never
 * by the library: a library must not change its host's VM.
 *
 * Allocation-site pretenuring sees world objects survive minor GCs (dead worlds stay reachable for a while; see
 * disposeWorld) and starts allocating them straight in old space. For runs of short-lived worlds that is the wrong
 * bet: the dead worlds' old-space objects then keep young objects alive until the next full GC, and scavenges
 * copy megabytes. Measured on the 16-host rack loss with worlds disposed after each seed: about 550 seeds/s with
 * pretenuring, about 900 without (`node dist/bench/run-all.js rack`). Changing it affects speed only, never
 * results: simulated time and order do not depend on the garbage collector.
 */
export function tuneV8ForSimulation(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}
