/**
 * One served world: built as `runScenario` builds it (the history's probe, judging safety, as its probe), driven in real time,
 * with the BMC backend the IPMI and Redfish servers use, the faults injected live, and the request counters
 * of the OpenStack API. The control API and `startServe` share it.
 */
import type { Logger } from 'pino';
import { buildWorld } from '../../sim/build-world.js';
import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import type { World } from '../../sim/world.js';
import type { RunReport } from '../../reports/report-types.js';
import { SafetyChecker } from '../checkers/safety.js';
import { judgedInvariants, judgeRun } from '../run/run-scenario.js';
import { ActionLog } from './action-log.js';
import { LiveFaults } from './live-faults.js';
import { createRequestMetrics, type RequestMetrics } from './openstack/metrics.js';
import { RealtimeDriver } from './realtime.js';
import { WorldBmcBackend } from './world-bmc-backend.js';

export interface SessionOptions {
  /** Default: the scenario's seed. */
  seed?: number;
  /** Sim ms per wall ms; default 1. */
  speed?: number;
  /** Wall clock (epoch ms) for the real-time driver; default `Date.now`. */
  clock?: () => number;
  /** Driver timer period in wall ms; default 50; 0 = advance only on requests and `advance()`. */
  tickMs?: number;
  logger?: Logger;
  /** Catalogued defects injected into the recovery logic (harness/check/defects.ts), as `ihasim run --defect`. */
  defects?: readonly string[];
}

export class ServeSession {
  readonly world: World;
  readonly safety: SafetyChecker;
  readonly driver: RealtimeDriver;
  readonly backend: WorldBmcBackend;
  readonly faults: LiveFaults;
  readonly requests: RequestMetrics = createRequestMetrics();
  /** Client actions that are not faults (Nova API writes, BMC power actions), for the replay scenario. */
  readonly actions = new ActionLog();
  readonly seed: number;
  private readonly judged: ReadonlySet<string>;

  constructor(
    readonly spec: ScenarioSpec,
    options: SessionOptions = {},
  ) {
    this.seed = options.seed ?? spec.seed;
    this.judged = judgedInvariants(spec);
    this.safety = new SafetyChecker(this.judged);
    this.world = buildWorld(spec, { seed: this.seed, trace: true, probe: this.safety, defects: options.defects ?? [] });
    this.safety.attach(this.world);
    this.driver = new RealtimeDriver({
      world: this.world, speed: options.speed ?? 1, durationMs: spec.durationMs,
      ...(options.clock ? { clock: options.clock } : {}), ...(options.tickMs !== undefined ? { tickMs: options.tickMs } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    this.backend = new WorldBmcBackend(this.world, {
      sync: () => this.advance(),
      onAction: (node, action, via) => this.actions.record({ atMs: this.world.kernel.now, via, what: `${node} power ${action}` }),
    });
    this.driver.onAdvance(() => this.backend.observe());
    this.faults = new LiveFaults(this.world);
  }

  /** Bring the world to the wall clock's sim time; returns it. */
  advance(): number {
    return this.driver.advance();
  }

  /** Sim ms now (after advancing). */
  now(): number {
    return this.advance();
  }

  /**
   * The run report as of now (the same code as `ihasim run`). Convergence is judged only once the faults
   * injected live have settled (`run.settle` after the last one), as `ihasim run` waits after the scenario's.
   */
  report(): RunReport {
    this.advance();
    const settled = this.world.kernel.now >= this.faults.lastChangeAtMs + this.world.config.run.settleMs;
    return judgeRun(this.world, this.safety, { seed: this.seed, judged: this.judged, convergence: settled, defects: [...this.world.defects] });
  }

  /** Stop the clock: the world freezes where it is and keeps answering. */
  stop(): void {
    this.driver.stop();
  }
}
