/**
 * IPMI mock benchmark. Run after `npm run build`:
 *
 *   node --expose-gc dist/bench/ipmi-bench.js [--parallel 8] [--duration-ms 5000] [--bmcs 1000]
 *
 * 1. Power-status round trips per second: N parallel loops of `ipmitool -I lanplus … chassis power status`
 *    (a full RMCP+ session per call, as fence agents do) against the ihasim mock, then against pyghmi's BMC
 *    server (bench/support/pyghmi_bmc.py, Debian python3-pyghmi — the engine behind VirtualBMC). Both with
 *    `-C 3`, the only suite pyghmi serves; ours also with the negotiated suite (17).
 * 2. Memory per idle BMC: RSS delta of serving `--bmcs` BMCs, divided by their number.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BmcBackend, BmcNode, ChassisPower } from '../harness/serve/bmc/backend.js';
import { startIpmiServer } from '../harness/serve/bmc/ipmi/index.js';

interface Args {
  parallel: number;
  durationMs: number;
  bmcs: number;
}

function parseArgs(argv: readonly string[]): Args {
  const get = (flag: string, dflt: number): number => {
    const i = argv.indexOf(flag);
    const v = i >= 0 ? Number(argv[i + 1]) : dflt;
    if (!Number.isInteger(v) || v <= 0) throw new Error(`${flag} must be a positive integer`);
    return v;
  };
  return { parallel: get('--parallel', 8), durationMs: get('--duration-ms', 5_000), bmcs: get('--bmcs', 1_000) };
}

/** A backend of `count` always-reachable nodes whose power flips at once. */
function memoryBackend(count: number): BmcBackend {
  const nodes: BmcNode[] = Array.from({ length: count }, (_, i) => ({
    name: `bmc-${i}`,
    credentials: { username: 'admin', password: 'password' },
    ipmi: true,
    redfish: false,
  }));
  const power = new Map<string, ChassisPower>(nodes.map((n) => [n.name, 'on']));
  return {
    nodes: () => nodes,
    reachability: () => 'ok',
    power: (node) => power.get(node) ?? 'off',
    powerAction: async (node, action) => void power.set(node, action === 'off' || action === 'soft' ? 'off' : 'on'),
  };
}

function ipmitoolStatus(port: number, suite: string[]): Promise<boolean> {
  const args = ['-I', 'lanplus', ...suite, '-H', '127.0.0.1', '-p', String(port), '-U', 'admin', '-P', 'password', 'chassis', 'power', 'status'];
  return new Promise((resolve) => execFile('ipmitool', args, { timeout: 10_000 }, (err, out) => resolve(!err && out.includes('Chassis Power is on'))));
}

/** Round trips per second of `parallel` loops running ipmitool for `durationMs`. */
async function measureRate(port: number, suite: string[], args: Args): Promise<{ rate: number; failures: number }> {
  const deadline = Date.now() + args.durationMs;
  let ok = 0;
  let failures = 0;
  const start = Date.now();
  const loop = async (): Promise<void> => {
    while (Date.now() < deadline) (await ipmitoolStatus(port, suite)) ? ok++ : failures++;
  };
  await Promise.all(Array.from({ length: args.parallel }, loop));
  return { rate: ok / ((Date.now() - start) / 1000), failures };
}

function pyghmiScript(): string {
  const candidates = ['../../bench/support/pyghmi_bmc.py', './support/pyghmi_bmc.py'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`pyghmi_bmc.py not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** Starts pyghmi's BMC on `port` and resolves once it printed "ready". */
function startPyghmi(port: number): Promise<ChildProcess> {
  const child = spawn('/usr/bin/python3', [pyghmiScript(), String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(child));
    child.once('exit', (code) => reject(new Error(`pyghmi BMC exited with ${code} (is python3-pyghmi installed?)`)));
  });
}

async function settledRss(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 100));
  }
  return process.memoryUsage().rss;
}

async function benchThroughput(args: Args): Promise<void> {
  const server = await startIpmiServer({ backend: memoryBackend(1), basePort: 0 });
  const port = server.ports.get('bmc-0')!;
  const ours17 = await measureRate(port, [], args);
  const ours3 = await measureRate(port, ['-C', '3'], args);
  await server.close();
  const pyPort = port; // the socket is closed; reuse the number
  const py = await startPyghmi(pyPort);
  try {
    const theirs = await measureRate(pyPort, ['-C', '3'], args);
    console.log(`power-status round trips/s, ${args.parallel} parallel ipmitool -I lanplus, ${args.durationMs} ms each:`);
    console.log(`  ihasim  (negotiated suite 17): ${ours17.rate.toFixed(1)}/s  failures ${ours17.failures}`);
    console.log(`  ihasim  (-C 3):                ${ours3.rate.toFixed(1)}/s  failures ${ours3.failures}`);
    console.log(`  pyghmi  (-C 3):                ${theirs.rate.toFixed(1)}/s  failures ${theirs.failures}`);
    console.log(`  ratio ihasim/pyghmi (-C 3):    ${(ours3.rate / theirs.rate).toFixed(2)}`);
  } finally {
    py.kill();
  }
}

async function benchMemory(args: Args): Promise<void> {
  const before = await settledRss();
  const server = await startIpmiServer({ backend: memoryBackend(args.bmcs), basePort: 0 });
  const after = await settledRss();
  console.log(`memory: ${args.bmcs} idle BMCs, RSS +${((after - before) / 2 ** 20).toFixed(1)} MiB = ${((after - before) / args.bmcs / 1024).toFixed(1)} KiB per BMC`);
  await server.close();
}

const args = parseArgs(process.argv.slice(2));
await benchMemory(args);
await benchThroughput(args);
