import type { ExpectSpec, InstanceFilter, PolicyName, RecoverySpec } from '../../sim/scenario-spec.js';
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

/** The recovery block with its defaults (filled by the schema). */
export function readRecovery(raw: RawScenario['recovery']): RecoverySpec {
  return {
    policy: raw.policy as PolicyName,
    forceDown: raw.forceDown,
    instanceFilter: parseInstanceFilter(raw.instanceFilter),
    sharedStorage: raw.sharedStorage,
    evacuateLocal: raw.evacuateLocal,
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
