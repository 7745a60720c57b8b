import { createHash } from 'node:crypto';
import type { Ajv2020, Options } from 'ajv/dist/2020.js';
import { EXPECTED_KEYWORD, type JsonSchema } from './schema-helpers.js';

/** Every error (readable issues), with the failing schema (its `x-expected` words); defaults filled in. */
export const SCENARIO_AJV_OPTIONS: Options = { allErrors: true, verbose: true, useDefaults: true, strict: true, allowUnionTypes: true };

/** The scenario validator's ajv: `new Ajv2020(SCENARIO_AJV_OPTIONS)` with the project's keyword. */
export function withScenarioKeywords(ajv: Ajv2020): Ajv2020 {
  ajv.addKeyword({ keyword: EXPECTED_KEYWORD, schemaType: 'string' });
  return ajv;
}

/** Identifies the schema a generated validator was compiled from. */
export function schemaDigest(schema: JsonSchema): string {
  return createHash('sha256').update(JSON.stringify(schema)).digest('hex');
}
