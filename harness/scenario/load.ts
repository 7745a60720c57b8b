import { readFile } from 'node:fs/promises';
import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import { IhasimError, isIhasimError } from '../errors.js';
import { Issues } from './issues.js';
import { normalizeScenario } from './normalize.js';
import type { RawScenario } from './raw-types.js';
import { validateAgainstSchema } from './schema-validate.js';
import { parseYamlSource } from './yaml-source.js';
import { recordProvenance, recordScenarioData, type ScenarioProvenance } from '../version.js';
import { applySetOverrides, locateWithOverrides, parseSetOverride, rememberOverrides, type SetOverride } from './set-override.js';

/** How a scenario is read besides its text. */
export interface LoadOptions {
  /** `--set key.path=value` changes, applied to the document before validation (harness/scenario/set-override.ts). */
  set?: readonly (string | SetOverride)[];
}


/** Freezes an object and everything reachable from it, so nobody downstream can change it; returns it. */
function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
  return value;
}

/**
 * Parses and validates scenario YAML into a frozen `ScenarioSpec`. Every problem is reported at once, with
 * file, line, column and key path.
 * @param file shown in messages and kept in `spec.file` (for replay commands).
 * @throws IhasimError `IHASIM_SCENARIO_YAML` (syntax), `IHASIM_SCENARIO_SCHEMA` (unknown key, wrong type, bad
 *   value), `IHASIM_SCENARIO_SEMANTIC` (unknown flavor, host, …) or `IHASIM_FAULT_TARGET` (target matches nothing).
 */
export function parseScenario(text: string, file?: string, options: LoadOptions = {}): ScenarioSpec {
  const source = parseYamlSource(text, file);
  const overrides = (options.set ?? []).map((o) => (typeof o === 'string' ? parseSetOverride(o) : o));
  const data = source.data;
  const issues = new Issues({ locate: locateWithOverrides(source, applySetOverrides(data, overrides)) }, file);
  if (!validateAgainstSchema(data, issues)) issues.throwIfAny();
  const spec = normalizeScenario(data as RawScenario, issues, file);
  issues.throwIfAny();
  // `provenance:` (written by `ihasim check`) is kept beside the spec, never in it: the simulation ignores it.
  const provenance = (source.data as { provenance?: ScenarioProvenance }).provenance;
  if (provenance !== undefined) recordProvenance(spec, { ...provenance });
  recordScenarioData(spec, source.data);
  rememberOverrides(spec, overrides);
  return deepFreeze(spec);
}

/**
 * Reads and parses a scenario file.
 * @throws IhasimError `IHASIM_SCENARIO_READ` when the file cannot be read, else as {@link parseScenario}.
 */
export async function loadScenario(path: string, options: LoadOptions = {}): Promise<ScenarioSpec> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
    throw new IhasimError('IHASIM_SCENARIO_READ', `cannot read scenario ${path} (${reason})`, [
      { file: path, message: reason === 'ENOENT' ? 'no such file' : `cannot read the file: ${reason}` },
    ]);
  }
  return parseScenario(text, path, options);
}

/** Result of {@link validateScenarioFile}. */
export type ValidationResult = { ok: true; spec: ScenarioSpec } | { ok: false; error: IhasimError };

/**
 * Validates a scenario file without throwing for bad input (`ihasim validate`). Anything that is not an
 * `IhasimError` is a bug and is rethrown.
 */
export async function validateScenarioFile(path: string): Promise<ValidationResult> {
  try {
    return { ok: true, spec: await loadScenario(path) };
  } catch (err) {
    if (isIhasimError(err)) return { ok: false, error: err };
    throw err;
  }
}
