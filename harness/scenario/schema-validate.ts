import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { didYouMean } from './name-match.js';
import { DURATION_PATTERN, tryParseDuration } from './duration.js';
import type { Issues } from './issues.js';
import { buildScenarioSchema, designsWithKey, recoveryKeys } from './schema.js';
import { EXPECTED_KEYWORD, type JsonSchema } from './schema-helpers.js';
import type { KeyPath } from './yaml-source.js';

let compiled: ValidateFunction | undefined;

/**
 * Compiles a schema built with schema-helpers.ts the way the scenario schema is: defaults filled into the data,
 * every error collected. Also used by other YAML inputs (the `ihasim inject` campaign) so they explain errors alike.
 */
export function compileSchema(schema: JsonSchema): ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, verbose: true, useDefaults: true, strict: true, allowUnionTypes: true });
  ajv.addKeyword({ keyword: EXPECTED_KEYWORD, schemaType: 'string' });
  return ajv.compile(schema);
}

/** The compiled validator (built once): fills schema defaults into the data it checks. */
function validator(): ValidateFunction {
  compiled ??= compileSchema(buildScenarioSchema());
  return compiled;
}

/** A short description of a value found where something else was expected. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing (an empty value)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return v.length > 40 ? `\`${v.slice(0, 37)}…\`` : `\`${v}\``;
  return String(v);
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text', integer: 'an integer', number: 'a number', boolean: '`true` or `false`',
  object: 'a map', array: 'a list', null: 'nothing',
};

/** JSON pointer of ajv to a key path, with list indexes as numbers. */
function toPath(pointer: string, root: unknown): (string | number)[] {
  const path: (string | number)[] = [];
  let node = root;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const key = Array.isArray(node) ? Number(seg) : seg;
    path.push(key);
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined;
  }
  return path;
}

/** What the failing schema expects, in words. */
function expectedOf(e: ErrorObject): string | undefined {
  const parent = e.parentSchema as JsonSchema | undefined;
  const words = parent?.[EXPECTED_KEYWORD];
  return typeof words === 'string' ? words : undefined;
}

/** A duration problem in words, when the failing schema is that of a duration. */
function durationProblem(e: ErrorObject): string | undefined {
  const parent = e.parentSchema as JsonSchema | undefined;
  if (parent?.pattern !== DURATION_PATTERN || (e.keyword !== 'pattern' && e.keyword !== 'minimum')) return undefined;
  const r = tryParseDuration(e.data);
  return r.ok ? undefined : r.problem;
}

/** Records an unknown key, with a did-you-mean over the keys allowed there. */
function unknownKey(e: ErrorObject, path: KeyPath, issues: Issues): void {
  const key = String((e.params as { additionalProperty: string }).additionalProperty);
  const allowed = Object.keys(((e.parentSchema as JsonSchema).properties ?? {}) as object);
  const hint = key.endsWith('Ms') && allowed.includes(key.slice(0, -2))
    ? `scenario keys drop the \`Ms\` suffix and take a duration: write \`${key.slice(0, -2)}: 10s\``
    : undefined;
  const suggestion = didYouMean(key, allowed);
  const choices = !suggestion && allowed.length ? { expected: `one of ${allowed.join(', ')}`, found: `\`${key}\`` } : {};
  issues.add('schema', [...path, key], `unknown key \`${key}\`${suggestion}`, { key: true, ...choices, ...(hint ? { hint } : {}) });
}

/**
 * A key of `recovery:` that the design `policy` names does not know (the schema's `unevaluatedProperties`). A key
 * the design does know was left unevaluated only because its own value failed (reported there): skipped.
 */
function unknownRecoveryKey(e: ErrorObject, path: KeyPath, issues: Issues): void {
  const key = String((e.params as { unevaluatedProperty: string }).unevaluatedProperty);
  const policy = (e.data as { policy?: unknown } | null)?.policy;
  const allowed = recoveryKeys(policy);
  if (allowed.includes(key)) return;
  const suggestion = didYouMean(key, allowed);
  const choices = suggestion ? {} : { expected: `one of ${allowed.join(', ')}`, found: `\`${key}\`` };
  const owners = designsWithKey(key);
  const hint = owners.length > 0 ? `\`${key}\` is a key of policy ${owners.map((o) => `\`${o}\``).join(', ')}, not of \`${String(policy)}\`` : undefined;
  issues.add('schema', [...path, key], `unknown key \`${key}\`${suggestion}`, { key: true, ...choices, ...(hint ? { hint } : {}) });
}

/** The message of one ajv error (other than unknown keys). */
function messageOf(e: ErrorObject): { message: string; expected?: string } {
  const p = e.params as Record<string, unknown>;
  const expected = expectedOf(e);
  switch (e.keyword) {
    case 'required': return { message: `missing key \`${String(p.missingProperty)}\`` };
    case 'type': return { message: `wrong type`, expected: expected ?? String(p.type).split(',').map((t) => TYPE_WORDS[t] ?? t).join(' or ') };
    case 'pattern': return { message: durationProblem(e) ?? `invalid value`, expected: expected ?? `text matching ${String(p.pattern)}` };
    case 'minimum': case 'exclusiveMinimum': case 'maximum': {
      const comparison = String(p.comparison).replace('>=', '≥').replace('<=', '≤');
      const message = durationProblem(e) ?? (e.keyword === 'maximum' ? 'too large' : 'too small');
      return { message, expected: expected ?? `a number ${comparison} ${String(p.limit)}` };
    }
    case 'enum': {
      const allowed = [...new Set((p.allowedValues as unknown[]).map(String))];
      return { message: `unknown value${didYouMean(String(e.data), allowed)}`, expected: `one of ${allowed.join(', ')}` };
    }
    case 'const': return { message: `unsupported value`, expected: `\`${JSON.stringify(p.allowedValue)}\`` };
    case 'minItems': return { message: 'too few items', expected: expected ?? `at least ${String(p.limit)} item(s)` };
    case 'maxItems': return { message: 'too many items', expected: expected ?? `at most ${String(p.limit)} item(s)` };
    case 'minProperties': case 'maxProperties': {
      const keys = Object.keys(((e.parentSchema as JsonSchema).properties ?? {}) as object);
      return { message: e.keyword === 'minProperties' ? 'empty map' : 'too many keys', expected: expected ?? `one of ${keys.join(', ')}` };
    }
    case 'dependentRequired':
      return { message: `\`${String(p.property)}\` needs \`${String(p.missingProperty)}\`` };
    case 'minLength': return { message: 'must not be empty' };
    default: return { message: e.message ?? `fails ${e.keyword}` };
  }
}

/** Records one ajv error as an issue. */
function record(e: ErrorObject, root: unknown, issues: Issues): void {
  if (e.keyword === 'propertyNames' || e.keyword === 'if') return; // the inner error names the key
  const path = toPath(e.instancePath, root);
  if (e.keyword === 'additionalProperties') return unknownKey(e, path, issues);
  if (e.keyword === 'unevaluatedProperties') return unknownRecoveryKey(e, path, issues);
  const named = (e as { propertyName?: string }).propertyName;
  if (named !== undefined) {
    issues.add('schema', [...path, named], `invalid name \`${named}\``, { key: true, ...(expectedOf(e) ? { expected: expectedOf(e)! } : {}) });
    return;
  }
  const { message, expected } = messageOf(e);
  const found = e.keyword === 'required' || e.keyword === 'dependentRequired' ? undefined : describeValue(e.data);
  issues.add('schema', path, message, { ...(expected ? { expected } : {}), ...(found ? { found } : {}) });
}

/**
 * Validates plain scenario data against the scenario schema, filling schema defaults into it (in place).
 * Every failure becomes a readable issue; returns true when there was none.
 */
export function validateAgainstSchema(data: unknown, issues: Issues): boolean {
  return validateWith(validator(), data, issues);
}

/** Runs a compiled validator (compileSchema) and records every failure as a readable issue; true when none. */
export function validateWith(validate: ValidateFunction, data: unknown, issues: Issues): boolean {
  if (validate(data)) return true;
  for (const e of validate.errors ?? []) record(e, data, issues);
  return false;
}
