/**
 * A small JSON-schema subset for request bodies, with the messages Nova's validator gives
 * (`nova/api/validation/validators.py` over python-jsonschema): `Invalid input for field/attribute <name>.
 * Value: <python repr>. <jsonschema message>`. Validation runs before any call into the world.
 */
import { ApiFault } from './faults.js';

export type BodySchema =
  | { type: 'string'; minLength?: number; maxLength?: number; pattern?: string }
  /** Nova's `parameter_types.boolean`: a JSON boolean or one of oslo's boolean strings. */
  | { type: 'boolean' }
  | { type: 'enum'; values: readonly (string | boolean)[] }
  /** JSON `null` only (e.g. `{"trigger_crash_dump": null}`). */
  | { type: 'null' }
  | { type: 'object'; properties: Record<string, BodySchema>; required?: readonly string[]; additionalProperties?: boolean };

const TRUE_STRINGS = ['True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes'];
const FALSE_STRINGS = ['False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no'];
const BOOLEAN_ENUM: readonly (string | boolean)[] = [true, ...TRUE_STRINGS, false, ...FALSE_STRINGS];

/** The boolean a value validated by `{type: 'boolean'}` stands for. */
export function novaBool(value: unknown): boolean {
  return value === true || (typeof value === 'string' && TRUE_STRINGS.includes(value));
}

/** Python's `repr()` of a JSON value, as Nova's messages show it (long values are cut). */
export function pyRepr(value: unknown): string {
  const text = reprOf(value, 0);
  return text.length > 300 ? `${text.slice(0, 300)}...` : text;
}

function reprOf(value: unknown, depth: number): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value);
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (depth > 8) return '...';
  if (Array.isArray(value)) return `[${value.slice(0, 50).map((v) => reprOf(v, depth + 1)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).slice(0, 50);
  return `{${entries.map(([k, v]) => `${reprOf(k, depth)}: ${reprOf(v, depth + 1)}`).join(', ')}}`;
}

function fail(path: readonly string[], value: unknown, message: string): never {
  const name = path[path.length - 1];
  if (name === undefined) throw new ApiFault(400, message);
  throw new ApiFault(400, `Invalid input for field/attribute ${name}. Value: ${pyRepr(value)}. ${message}`);
}

/** Validate `value` against `schema`; throws a 400 `ApiFault` with Nova's message at the first problem. */
export function validateBody(schema: BodySchema, value: unknown, path: readonly string[] = []): void {
  switch (schema.type) {
    case 'string':
      return validateString(schema, value, path);
    case 'boolean':
      if (typeof value !== 'boolean' && typeof value !== 'string') fail(path, value, `${pyRepr(value)} is not of type 'boolean', 'string'`);
      return validateEnum(BOOLEAN_ENUM, value, path);
    case 'enum':
      return validateEnum(schema.values, value, path);
    case 'null':
      if (value !== null) fail(path, value, `${pyRepr(value)} is not of type 'null'`);
      return;
    case 'object':
      return validateObject(schema, value, path);
  }
}

function validateString(schema: Extract<BodySchema, { type: 'string' }>, value: unknown, path: readonly string[]): void {
  if (typeof value !== 'string') fail(path, value, `${pyRepr(value)} is not of type 'string'`);
  const length = [...value].length;
  if (schema.minLength !== undefined && length < schema.minLength) fail(path, value, `${pyRepr(value)} is too short`);
  if (schema.maxLength !== undefined && length > schema.maxLength) fail(path, value, `${pyRepr(value)} is too long`);
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
    fail(path, value, `${pyRepr(value)} does not match ${pyRepr(schema.pattern)}`);
  }
}

function validateEnum(values: readonly (string | boolean)[], value: unknown, path: readonly string[]): void {
  if (!values.some((v) => v === value)) fail(path, value, `${pyRepr(value)} is not one of ${pyRepr(values)}`);
}

function validateObject(schema: Extract<BodySchema, { type: 'object' }>, value: unknown, path: readonly string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, value, `${pyRepr(value)} is not of type 'object'`);
  const obj = value as Record<string, unknown>;
  for (const [key, sub] of Object.entries(schema.properties)) {
    if (Object.hasOwn(obj, key)) validateBody(sub, obj[key], [...path, key]);
  }
  for (const key of schema.required ?? []) {
    if (!Object.hasOwn(obj, key)) fail(path, value, `${pyRepr(key)} is a required property`);
  }
  if (schema.additionalProperties === false) {
    const extra = Object.keys(obj).filter((k) => !Object.hasOwn(schema.properties, k));
    if (extra.length === 1) fail(path, value, `Additional properties are not allowed (${pyRepr(extra[0])} was unexpected)`);
    if (extra.length > 1) fail(path, value, `Additional properties are not allowed (${extra.map((k) => pyRepr(k)).join(', ')} were unexpected)`);
  }
}
