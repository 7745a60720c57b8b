/**
 * The sim-vs-live differential (README "The sim-vs-live differential"): one scenario, run twice.
 *  - live: `ihasim serve` of the scenario without its faults (its recovery design runs inside the served world),
 *    every server a canary; `ihasim inject --execute` replays the faults through the served BMCs and SSH servers
 *    and records what it observes (Nova polls, BMC power, heartbeats) in its history;
 *  - sim: `runScenario` of the same scenario, same seed, with each fault at the simulated instant it landed in
 *    the served world (read from the served world's own logs), so both worlds see the same fault at the same
 *    instant and only the observation differs.
 * Per instance, the outcomes must agree and the live downtime (gap between heartbeats) must be within the
 * tolerance of the simulator's.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunReport } from '../../reports/report-types.js';
import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import { main } from '../cli/main.js';
import type { Observation } from '../history/observation.js';
import { runScenario } from '../run/run-scenario.js';
import { startServe } from '../serve/serve.js';
import { COLLECTOR_METADATA_KEY } from '../serve/canary/canary-emitter.js';
import { differentialCampaign, NOVA_POLL_MS, unreplayable } from './campaign.js';
import { compareOutcomes, compareWorlds, type Disagreement, type InstanceDelta, type Tolerance } from './compare.js';
import { liveOutcomes, type LiveOutcome } from './live-outcomes.js';
import { landedFaults, replayInSim } from './sim-replay.js';
import { freePort } from '../free-port.js';
import { generateEd25519KeyPair } from '../serve/ssh/ssh-keys.js';

const PASSWORD_ENV = 'IHASIM_DIFFERENTIAL_BMC_PASSWORD';
/** The served driver's timer period (harness/serve/realtime.ts default), in wall ms. */
const DRIVER_TICK_MS = 50;

export interface DifferentialOptions {
  speed: number;
  /** Sim ms between heartbeats (serve's canary default). */
  heartbeatMs?: number;
  /** Wall ms of event-loop lag the tolerance allows (the served clock and the collector share one process). */
  lagWallMs?: number;
  /** Catalogued defects (harness/check/defects.ts) for the served world only: a planted divergence, for tests. */
  servedDefects?: readonly string[];
}

export interface DifferentialResult {
  scenario: string;
  tolerance: Tolerance;
  deltas: InstanceDelta[];
  disagreements: Disagreement[];
  /** The served world against the simulator's replay (compare.ts `compareWorlds`): must be empty. */
  worldDisagreements: Disagreement[];
  live: LiveOutcome[];
  sim: RunReport;
  /** The served world's own run report (the same code as `ihasim run`), to tell a served-world divergence from an observation one. */
  served: RunReport;
  /** Scenario fault time vs the sim time it landed live, per replayed fault (ms). */
  landings: { fault: string; scenarioAtMs: number; landedAtMs: number }[];
  injectExit: number;
  injectOutput: string;
  wallMs: number;
}

/**
 * The tolerance, from the mechanisms (README): heartbeats every H sim ms, so the last one before the outage is up
 * to H before it stopped and the first after is up to H after it serves again: gap − downtime ∈ [0, 2H]. Both
 * ends move by the served clock's granularity (the driver ticks every DRIVER_TICK_MS wall, × speed) and by
 * event-loop lag (heartbeats are received and stamped in wall time, × speed) on each side.
 */
export function tolerance(speed: number, heartbeatMs: number, lagWallMs: number): Tolerance {
  const clock = 2 * (DRIVER_TICK_MS + lagWallMs) * speed;
  return { minMs: -clock, maxMs: 2 * heartbeatMs + clock, milestoneMs: 2 * heartbeatMs + NOVA_POLL_MS + clock };
}

/** The scenario with every server a canary, and (for serve) no faults. */
function withCanaries(spec: ScenarioSpec, collectorPort: number): ScenarioSpec {
  return { ...spec, servers: spec.servers.map((s) => ({ ...s, metadata: { ...s.metadata, [COLLECTOR_METADATA_KEY]: `http://127.0.0.1:${collectorPort}` } })) };
}

export async function runDifferential(spec: ScenarioSpec, opts: DifferentialOptions): Promise<DifferentialResult> {
  const started = Date.now();
  const problems = spec.faults.map(unreplayable).filter((p): p is string => p !== null);
  if (problems.length) throw new Error(`${spec.name}: ${problems.join('; ')}`);
  const speed = opts.speed;
  const heartbeatMs = opts.heartbeatMs ?? 5_000;
  const tol = tolerance(speed, heartbeatMs, opts.lagWallMs ?? 100);

  // How long to watch after the last fault: until the simulator's last recovery, plus a margin.
  const preview = runScenario(spec).report;
  const lastFaultMs = Math.max(...spec.faults.map((f) => f.atMs));
  const lastRecovery = Math.max(lastFaultMs, ...preview.instances.map((i) => i.recoveredAtMs ?? 0));
  const observeSimMs = lastRecovery - lastFaultMs + 60_000 + 4 * heartbeatMs;

  const dir = mkdtempSync(join(tmpdir(), 'ihasim-differential-'));
  const keys = generateEd25519KeyPair();
  const keyFile = join(dir, 'id_ed25519');
  writeFileSync(keyFile, keys.private, { mode: 0o600 });
  const collectorPort = await freePort();
  const canarySpec = withCanaries(spec, collectorPort);
  let served: RunReport | undefined;
  const serve = await startServe({ spec: { ...canarySpec, faults: [] }, speed, ssh: { basePort: 0, authorizedKeys: keys.public }, canary: { intervalMs: heartbeatMs }, ...(opts.servedDefects ? { defects: opts.servedDefects } : {}) });
  try {
    writeFileSync(join(dir, 'clouds.yaml'), serve.endpoints.cloudsYaml);
    const password = serve.endpoints.nodes[0]!.password;
    const campaignFile = join(dir, 'campaign.yaml');
    // The campaign starts after its read-only checks (a fraction of a wall second): the faults land a little
    // after their scenario times, which is why the simulator replays them at the instants they landed.
    writeFileSync(campaignFile, differentialCampaign({
      spec, endpoints: serve.endpoints, speed, startSimMs: serve.session.now(), keyFile, passwordEnv: PASSWORD_ENV,
      collectorPort, heartbeatMs, observeSimMs,
    }));
    const historyFile = join(dir, 'history.jsonl');
    const lines: string[] = [];
    const saved = { p: process.env[PASSWORD_ENV], c: process.env['OS_CLIENT_CONFIG_FILE'] };
    process.env[PASSWORD_ENV] = password;
    process.env['OS_CLIENT_CONFIG_FILE'] = join(dir, 'clouds.yaml');
    let injectExit: number;
    try {
      injectExit = await main(['inject', campaignFile, '--execute', '--quiet', '--journal', join(dir, 'journal.jsonl'), '--history', historyFile], (s) => lines.push(s));
    } finally {
      restoreEnv(PASSWORD_ENV, saved.p);
      restoreEnv('OS_CLIENT_CONFIG_FILE', saved.c);
    }
    if (!existsSync(historyFile)) throw new Error(`ihasim inject exited ${injectExit} without a history:\n${lines.join('\n')}`);
    const observations = readFileSync(historyFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Observation);
    const live = liveOutcomes(observations, speed, heartbeatMs / speed);

    const landed = landedFaults(serve);
    served = await serve.close();
    const { report: sim, milestones } = replayInSim(canarySpec, landed);
    const { deltas, disagreements } = compareOutcomes(sim.instances, milestones, live, tol);
    const scenarioAt = (kind: string, host: string): number => spec.faults.find((f) => f.kind === kind && f.target!.pool.includes(host))?.atMs ?? NaN;
    const landings = [
      ...landed.powerOffs.map((p) => ({ fault: `host-power-loss ${p.host} (BMC off)`, scenarioAtMs: scenarioAt('host-power-loss', p.host), landedAtMs: p.offAtMs })),
      ...landed.faults.map((f) => ({ fault: `${f.kind} ${f.target!.text}`, scenarioAtMs: scenarioAt(f.kind, f.target!.pool[0]!), landedAtMs: f.atMs })),
    ];
    return { scenario: spec.name, tolerance: tol, deltas, disagreements, worldDisagreements: compareWorlds(sim.instances, served.instances), live, sim, served, landings, injectExit, injectOutput: lines.join('\n'), wallMs: Date.now() - started };
  } finally {
    if (!served) await serve.close();
    // The directory holds a private key and the campaign's files: nothing to keep once compared.
    rmSync(dir, { recursive: true, force: true });
  }
}

function restoreEnv(key: string, value: string | undefined): void {
  if (value === undefined) delete process.env[key];
  else process.env[key] = value;
}
