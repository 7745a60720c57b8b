/** ihasim as a library: load scenarios, run them, render reports. */
export { parseScenario, loadScenario, validateScenarioFile, parseDuration, formatDuration } from './harness/scenario/index.js';
export { runScenario, runSeedReport, type RunOptions, type RunResult } from './harness/run/run-scenario.js';
export { tuneV8ForSimulation } from './harness/v8-tuning.js';
export { runSeeds } from './harness/run/run-seeds.js';
export { buildWorld } from './sim/build-world.js';
export type { ScenarioSpec } from './sim/scenario-spec.js';
export { DEFAULT_CONFIG, type SimConfig } from './sim/config.js';
export * from './reports/index.js';
export { IhasimError, ERROR_CODES, type ErrorCode } from './harness/errors.js';
export { checkScenario, type CheckOptions, type CheckResult, type Counterexample } from './harness/check/check-scenario.js';
export { scheduleArbitrary } from './harness/check/arbitraries.js';
export { runSchedule, scheduleScenario } from './harness/check/run-schedule.js';
export { describeFault, describeSchedule, type GeneratedFault } from './harness/check/schedule.js';
export { DEFECTS, type Defect } from './harness/check/defects.js';
