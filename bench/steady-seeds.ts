/**
 * `node dist/bench/steady-seeds.js [firstSeed]`: warmed seeds/s of the 16-host rack loss in this one thread (1,500
 * seeds of warm-up, then three 3 s windows; prints their median). Run alone and two side by side by
 * `run-all.js pair`, it shows whether warmed work scales over this machine's cores.
 */
import { parseScenario } from '../harness/scenario/index.js';
import { runSeedReport } from '../harness/run/run-scenario.js';
import { tuneV8ForSimulation } from '../harness/v8-tuning.js';
import { seedsPerSecond } from './core-bench.js';
import { rackLossYaml } from './scenarios.js';

tuneV8ForSimulation();
const spec = parseScenario(rackLossYaml({ hostsPerRack: 8, perHost: 20 }));
const first = Number(process.argv[2] ?? 1);
for (let i = 0; i < 1500; i++) runSeedReport(spec, { seed: first + i, trace: false });
const rates = [1, 2, 3].map((w) => seedsPerSecond(spec, 3000, first + 10_000 * w));
console.log(Math.round([...rates].sort((a, b) => a - b)[1]!));
