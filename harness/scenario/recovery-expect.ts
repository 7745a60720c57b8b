import type { SimConfig } from '../../sim/config.js';
import type { DesignValidationContext } from '../../sim/recovery/design.js';
import { designNamed } from '../../sim/recovery/designs/registry.js';
import type { ExpectSpec, InstanceFilter, RecoverySpec, ScenarioSpec } from '../../sim/scenario-spec.js';
import { didYouMean } from './name-match.js';
import { readDuration } from './distribution.js';
import { INVARIANT_NAMES, isInvariantName } from './invariant-names.js';
import type { Issues } from './issues.js';
import type { RawScenario } from './raw-types.js';

/** `evacuable`, `all`, `tag:<name>` or `metadata:<key>` (the schema has checked the form). */
export function parseInstanceFilter(text: string): InstanceFilter {
  if (text.startsWith('tag:')) return { kind: 'tag', tag: text.slice(4) };
  if (text.startsWith('metadata:')) return { kind: 'metadata', key: text.slice(9) };
  return text === 'all' ? { kind: 'all' } : { kind: 'evacuable' };
}

/**
 * The recovery block with its defaults (filled by the schema): the common keys read, and the design's own keys
 * (those of its `configSchema`) kept as written in `options`, present only when the design has some.
 */
export function readRecovery(raw: RawScenario['recovery']): RecoverySpec {
  const spec: RecoverySpec = {
    policy: raw.policy,
    forceDown: raw.forceDown,
    instanceFilter: parseInstanceFilter(raw.instanceFilter),
    sharedStorage: raw.sharedStorage,
    evacuateLocal: raw.evacuateLocal,
  };
  const own = Object.keys(designNamed(raw.policy).configSchema);
  if (own.length > 0) spec.options = Object.fromEntries(own.filter((k) => k in raw).map((k) => [k, raw[k]]));
  return spec;
}

/**
 * The design's own semantic checks (DesignDefinition.validate), on its resolved config. A message that starts
 * with a key path under one of the design's keys and a colon (`reservedHosts: …`, `segments[0].reservedHosts: …`)
 * is reported at that path, others at `recovery`.
 */
export function validateRecovery(spec: Pick<ScenarioSpec, 'recovery' | 'topology'>, config: SimConfig, issues: Issues): void {
  const design = designNamed(spec.recovery.policy);
  if (!design.validate) return;
  const resolved = design.resolve({ ...spec.recovery.options, policy: design.name }, { recovery: spec.recovery, config });
  const own = Object.keys(design.configSchema);
  for (const message of design.validate(resolved, validationContext(spec))) {
    const at = keyPathOf(message, own);
    issues.add('semantic', at ? ['recovery', ...at.path] : ['recovery'], at ? message.slice(at.length + 1).trim() : message);
  }
}

/** `segments[0].reservedHosts: …` → the path `['segments', 0, 'reservedHosts']` when its first key is the design's. */
function keyPathOf(message: string, own: readonly string[]): { path: (string | number)[]; length: number } | null {
  const m = /^([A-Za-z][\w-]*(?:\[\d+\]|\.[A-Za-z][\w-]*)*):/.exec(message);
  if (!m || !own.some((k) => m[1] === k || m[1]!.startsWith(`${k}[`) || m[1]!.startsWith(`${k}.`))) return null;
  const path = [...m[1]!.matchAll(/([A-Za-z][\w-]*)|\[(\d+)\]/g)].map((x) => (x[2] !== undefined ? Number(x[2]) : x[1]!));
  return { path, length: m[1]!.length };
}

function validationContext(spec: Pick<ScenarioSpec, 'topology'>): DesignValidationContext {
  const { computes, aggregates } = spec.topology;
  return {
    hosts: computes.map((h) => ({ name: h.name, rack: h.rack, az: h.az })),
    aggregates: Object.entries(aggregates).map(([name, a]) => ({ name, hosts: a.hosts, metadata: a.metadata })),
  };
}

/** Records each name that is not an invariant, with a did-you-mean. */
function checkNames(names: readonly string[], key: string, issues: Issues): void {
  names.forEach((name, i) => {
    if (!isInvariantName(name)) {
      issues.add('semantic', ['expect', key, i], `unknown invariant \`${name}\`${didYouMean(name, INVARIANT_NAMES)}`, {
        expected: `one of ${INVARIANT_NAMES.join(', ')}`, found: `\`${name}\``,
      });
    }
  });
}

/** The expect block: invariant names checked, `recoveryBound` in ms and > 0. */
export function readExpect(raw: RawScenario['expect'], issues: Issues): ExpectSpec {
  const invariants = typeof raw.invariants === 'string' ? 'all' : [...raw.invariants];
  if (invariants !== 'all') checkNames(invariants, 'invariants', issues);
  checkNames(raw.violations, 'violations', issues);
  const spec: ExpectSpec = { invariants, violations: [...raw.violations], allowedReasons: [...raw.allowedReasons] };
  if (raw.recoveryBoundFrom === 'heal') spec.recoveryBoundFrom = 'heal';
  if (raw.recoveryBound !== undefined) {
    const ms = readDuration(raw.recoveryBound, ['expect', 'recoveryBound'], issues);
    if (ms <= 0) issues.add('semantic', ['expect', 'recoveryBound'], 'the recovery bound must be longer than 0');
    spec.recoveryBoundMs = ms;
  }
  return spec;
}
