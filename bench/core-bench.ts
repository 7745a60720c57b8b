import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario } from '../harness/scenario/index.js';
import { runScenario, runSeedReport } from '../harness/run/run-scenario.js';
import { buildWorld } from '../sim/build-world.js';
import type { ScenarioSpec } from '../sim/scenario-spec.js';
import { cloudYaml, rackLossYaml } from './scenarios.js';

const mib = (): number => Math.round(process.memoryUsage().rss / 2 ** 20);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Seeds per second of one scenario for `ms` of wall time (one core: this process), as `ihasim run --seeds N` runs them. */
/** Seeds/s of `spec` in this thread over `ms` of wall time, seeds firstSeed, firstSeed+1, … */
export function seedsPerSecond(spec: ScenarioSpec, ms: number, firstSeed: number): number {
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < ms) {
    const report = runSeedReport(spec, { seed: firstSeed + n, trace: false });
    // A safety violation means the benchmark simulates something broken. Liveness failures are the model's
    // findings (a rack loss strands some evacuations on dead rack-mates: README "What the checker found") and
    // cost the same events: they are timed like any run.
    if (report.exitCode === 1) throw new Error(`bench scenario failed: ${report.failures[0]} (${report.replay})`);
    n++;
  }
  return n / ((performance.now() - t0) / 1000);
}

export function simpyBaseline(seconds: number): number | null {
  const script = join(import.meta.dirname, '../../bench/baseline/rack_loss_simpy.py');
  if (!existsSync('/usr/bin/python3') || !existsSync(script)) return null;
  try {
    return Number(execFileSync('/usr/bin/python3', [script, String(seconds)], { encoding: 'utf8' }).trim());
  } catch {
    return null;
  }
}

/** The 16-host rack loss: ihasim vs the SimPy baseline, interleaved rounds (this machine is noisy). */
export function rackLossBench(rounds = 5): Record<string, number | string> {
  const spec = parseScenario(rackLossYaml({ hostsPerRack: 8, perHost: 20 }));
  seedsPerSecond(spec, 1500, 0);
  const ours: number[] = [];
  const simpy: number[] = [];
  for (let r = 0; r < rounds; r++) {
    ours.push(seedsPerSecond(spec, 3000, 10_000 * (r + 1)));
    const base = simpyBaseline(3);
    if (base !== null) simpy.push(base);
  }
  const res: Record<string, number | string> = { ihasimSeedsPerSecMedian: median(ours), ihasimSeedsPerSecBest: Math.max(...ours) };
  if (simpy.length) {
    res.simpySeedsPerSecMedian = median(simpy);
    res.ratioMedian = +(median(ours) / median(simpy)).toFixed(2);
  } else res.simpy = 'not run: apt-get install python3-simpy3';
  return res;
}

/** Idle cloud: construction, a simulated day, memory. */
export function idleCloudBench(hosts: number, perHost: number): Record<string, number> {
  const t0 = performance.now();
  const spec = parseScenario(cloudYaml({ hosts, perHost, zones: 10, duration: '24h', faults: '' }));
  const t1 = performance.now();
  const world = buildWorld(spec, { seed: 1, trace: false });
  const t2 = performance.now();
  world.kernel.run(spec.durationMs);
  const t3 = performance.now();
  return { hosts, instances: hosts * perHost, parseMs: Math.round(t1 - t0), buildMs: Math.round(t2 - t1), runDayMs: Math.round(t3 - t2), events: world.kernel.processed, rssMiB: mib() };
}

/** One AZ (a tenth of the hosts) loses power; run to full recovery. */
export function azLossBench(hosts: number, perHost: number): Record<string, number | string> {
  const spec = parseScenario(cloudYaml({ hosts, perHost, zones: 10, duration: '4h', faults: '  - { at: 1h, kind: host-power-loss, target: { az: az1 } }' }));
  const t0 = performance.now();
  const world = buildWorld(spec, { seed: 1, trace: false });
  const t1 = performance.now();
  const { report } = runScenario(spec, { seed: 1, trace: false });
  const t2 = performance.now();
  const m = report.metrics;
  const runMs = t2 - t1 - (t1 - t0);
  return {
    hosts, failedHosts: hosts / 10, instancesAffected: m.instancesAffected, recovered: m.recovery.count, lost: m.instancesLost,
    buildMs: Math.round(t1 - t0), runToRecoveryMs: Math.round(runMs), events: m.events, eventsPerSec: Math.round(m.events / (runMs / 1000)),
    downtimeP50: m.recovery.p50Ms ?? -1, downtimeMax: m.recovery.maxMs ?? -1, verdict: report.verdict, worldHosts: world.hostList.length,
  };
}

/** How cost grows with size: a day with one host failure, 100 → 10,000 hosts. */
export function scalingBench(): Record<string, number>[] {
  return [100, 1000, 10000].map((hosts) => {
    const spec = parseScenario(cloudYaml({ hosts, perHost: 20, zones: 10, duration: '24h', faults: '  - { at: 1h, kind: host-power-loss, target: compute-' + '1'.padStart(String(hosts).length, '0') + ' }' }));
    const world = buildWorld(spec, { seed: 1, trace: false });
    const t0 = performance.now();
    world.kernel.run(spec.durationMs);
    const ms = performance.now() - t0;
    return { hosts, simulatedHours: 24, events: world.kernel.processed, runMs: +ms.toFixed(1), eventsPerSec: Math.round(world.kernel.processed / (ms / 1000)) };
  });
}
