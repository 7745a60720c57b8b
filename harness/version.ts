/**
 * What makes a result reproducible across ihasim versions: the version that produced it, a hash of the
 * scenario it simulated, and the provenance a scenario written by `ihasim check` carries (its `provenance:` key).
 */
import { createHash } from 'node:crypto';
import type { ScenarioSpec } from '../sim/scenario-spec.js';
import type { ReportProvenance, ScenarioProvenance } from '../reports/report-types.js';
import { packageVersion } from './cli/package-info.js';

export type { ReportProvenance, ScenarioProvenance };

let version: string | undefined;

/** ihasim's version (package.json's), read once, the first time it is asked for. */
export function ihasimVersion(): string {
  version ??= packageVersion();
  return version;
}

const provenances = new WeakMap<ScenarioSpec, ScenarioProvenance>();
const hashes = new WeakMap<ScenarioSpec, string>();

/**
 * Remembers the `provenance:` block of a loaded scenario. It lives beside the spec, not in it: the simulator
 * never sees it, and a spec derived from this one (`{ ...spec, faults }`) is another scenario without it.
 */
export function recordProvenance(spec: ScenarioSpec, provenance: ScenarioProvenance): void {
  provenances.set(spec, provenance);
}

/**
 * What a copy of a spec made by structured clone (sent to a worker thread) loses, since it lives beside the
 * spec: its hash and provenance. {@link adoptSpecIdentity} gives them to the copy, so its reports match.
 */
export interface SpecIdentity {
  hash: string;
  provenance?: ScenarioProvenance;
}

export function specIdentity(spec: ScenarioSpec): SpecIdentity {
  const provenance = provenanceOf(spec);
  return { hash: scenarioHash(spec), ...(provenance ? { provenance } : {}) };
}

export function adoptSpecIdentity(copy: ScenarioSpec, identity: SpecIdentity): void {
  hashes.set(copy, identity.hash);
  if (identity.provenance) provenances.set(copy, identity.provenance);
}

/** The `provenance:` block the scenario was loaded with, if any. */
export function provenanceOf(spec: ScenarioSpec): ScenarioProvenance | undefined {
  return provenances.get(spec);
}

/**
 * Keys left out of a scenario's hash: where it was read from, the words that name and describe it, and its
 * provenance. None changes what is simulated or how it is judged; renaming a scenario keeps its hash.
 */
const NOT_HASHED: ReadonlySet<string> = new Set(['file', 'name', 'description', 'provenance']);

/**
 * Records the hash of a scenario loaded from YAML: {@link hashScenarioData} of the data as written and validated.
 * The loader calls it; {@link scenarioHash} then returns it.
 */
export function recordScenarioData(spec: ScenarioSpec, data: unknown): void {
  hashes.set(spec, hashScenarioData(data));
}

/**
 * The scenario hash: sha256 (hex) of the scenario's data, keys sorted, without name, description, path and
 * provenance.
 *
 * For a scenario loaded from YAML it is the data as written, once validated (the YAML parsed, schema defaults
 * filled in), not the file bytes and not the normalized spec: comments, whitespace, key order and quoting do not
 * change it, every value does, and it costs as little as the file is long (a brace range is hashed as written, not
 * expanded into 200,000 servers). A default that another ihasim version fills in differently does not change it:
 * the report's `ihasimVersion` beside it says which defaults applied. For a spec built in code (a library caller,
 * or `ihasim check`'s schedules) it is the hash of the spec itself, computed once per spec object.
 */
export function scenarioHash(spec: ScenarioSpec): string {
  let hash = hashes.get(spec);
  if (hash === undefined) {
    hash = hashScenarioData(spec);
    hashes.set(spec, hash);
  }
  return hash;
}

/** sha256 (hex) of {@link canonicalJson} of a scenario's data, without the {@link NOT_HASHED} keys. */
export function hashScenarioData(data: unknown): string {
  const record = (data ?? {}) as Record<string, unknown>;
  const hashed = Object.fromEntries(Object.entries(record).filter(([key]) => !NOT_HASHED.has(key)));
  const sink = new HashSink();
  writeCanonical(hashed, sink);
  return sink.digest();
}

/** Feeds text to sha256 in large chunks: one `update` per value would cost more than the hashing itself. */
class HashSink {
  private readonly sha = createHash('sha256');
  private buffer = '';

  write(text: string): void {
    this.buffer += text;
    if (this.buffer.length >= 65_536) {
      this.sha.update(this.buffer);
      this.buffer = '';
    }
  }

  digest(): string {
    this.sha.update(this.buffer);
    return this.sha.digest('hex');
  }
}

const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * JSON with object keys sorted, so that equal values serialize equally whatever order they were built in.
 * `undefined` properties are left out (as JSON.stringify does); non-finite numbers become strings
 * (`"Infinity"`), which JSON.stringify would turn into an ambiguous `null`.
 */
export function canonicalJson(value: unknown): string {
  let text = '';
  writeCanonical(value, { write: (s) => { text += s; } });
  return text;
}

function writeCanonical(value: unknown, out: { write(text: string): void }): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return out.write(JSON.stringify(value));
  if (typeof value === 'number') return out.write(Number.isFinite(value) ? String(value) : `"${String(value)}"`);
  if (Array.isArray(value)) {
    out.write('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.write(',');
      writeCanonical(value[i] ?? null, out);
    }
    return out.write(']');
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort(compareKeys);
    out.write('{');
    let first = true;
    for (const key of keys) {
      if (record[key] === undefined) continue;
      out.write(first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`);
      first = false;
      writeCanonical(record[key], out);
    }
    return out.write('}');
  }
  throw new TypeError(`cannot hash a ${typeof value} in a scenario`);
}

/**
 * The one-line warning for a scenario written by another ihasim version (its `provenance.ihasim`), or null.
 * Defaults and model rules can change between versions, so the same scenario and seed may not give the same run.
 */
export function versionWarning(spec: ScenarioSpec): string | null {
  const writtenBy = provenanceOf(spec)?.ihasim;
  const running = ihasimVersion();
  if (writtenBy === undefined || writtenBy === running) return null;
  const what = spec.file ?? spec.name;
  return `warning: ${what} was written by ihasim ${writtenBy}, this is ihasim ${running}: the run may differ from the one it recorded`;
}

/** {@link ReportProvenance} of a report on `spec`. */
export function reportProvenance(spec: ScenarioSpec): ReportProvenance {
  const provenance = provenanceOf(spec);
  const warning = versionWarning(spec);
  return {
    ihasimVersion: ihasimVersion(),
    scenarioHash: scenarioHash(spec),
    ...(provenance ? { scenarioProvenance: { ...provenance } } : {}),
    ...(warning ? { warnings: [warning] } : {}),
  };
}
