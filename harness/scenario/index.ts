/**
 * The scenario loader: YAML text or file → validated, normalized, frozen `ScenarioSpec`.
 * Format: `scenarios/README.md`.
 */
export { parseScenario, loadScenario, validateScenarioFile, type ValidationResult, type LoadOptions } from './load.js';
export { parseDuration, formatDuration, tryParseDuration, type DurationResult } from './duration.js';
export { expandBraces, spreadOver } from './braces.js';
export { INVARIANT_NAMES, isInvariantName, type InvariantName } from './invariant-names.js';
export { buildScenarioSchema } from './schema.js';
