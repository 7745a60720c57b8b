/**
 * Validates a report against `report.schema.json` (ajv) plus the few cross-field rules a JSON Schema
 * cannot say, and returns human-readable problems. Used by tests, by `ihasim` before it trusts a report it
 * reads back, and by consumers of the published schema.
 */
import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import schema from './report.schema.json' with { type: 'json' };

let compiled: ValidateFunction | undefined;

/**
 * Compiles the schema once, on first use. ajv is loaded only then: every command that writes reports imports this
 * module, and loading ajv up front cost `ihasim run` about 0.1 s of start-up it never used.
 */
function validator(): ValidateFunction {
  if (compiled) return compiled;
  const { Ajv: AjvClass } = createRequire(import.meta.url)('ajv') as { Ajv: typeof Ajv };
  compiled = new AjvClass({ allErrors: true, discriminator: true, strict: true, verbose: true }).compile(schema);
  return compiled;
}

/**
 * Checks a value against the report schema (both kinds) and the cross-field rules.
 * @returns one line per problem, `path: what is wrong`; empty when the report is valid.
 */
export function validateReport(report: unknown): string[] {
  const validate = validator();
  if (!validate(report)) return describeErrors(validate.errors ?? []);
  return crossFieldProblems(report as ReportLike);
}

/** Human-readable lines, deduplicated; the discriminator's error repeats a clearer one about `kind`. */
function describeErrors(errors: readonly ErrorObject[]): string[] {
  const clearer = errors.filter((e) => e.keyword !== 'discriminator');
  const lines = (clearer.length > 0 ? clearer : errors).map(describeError);
  return [...new Set(lines)];
}

/** One ajv error as `path: message (detail)`, the path in JSON-pointer style (`/runs/0/seed`). */
function describeError(err: ErrorObject): string {
  const where = err.instancePath === '' ? '(report)' : err.instancePath;
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'required':
      return `${where}: missing required property "${String(p.missingProperty)}"`;
    case 'additionalProperties':
      return `${where}: unknown property "${String(p.additionalProperty)}"`;
    case 'enum':
      return `${where}: must be one of ${JSON.stringify(p.allowedValues)}, found ${JSON.stringify(err.data)}`;
    case 'const':
      return `${where}: must be ${JSON.stringify(p.allowedValue)}, found ${JSON.stringify(err.data)}`;
    case 'discriminator':
      return `${where}: "kind" must be "run" or "multi"`;
    case 'type':
      return `${where}: must be ${String(p.type)}, found ${typeName(err.data)}`;
    default:
      return `${where}: ${err.message ?? err.keyword}`;
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** The fields the cross-field rules read; the schema has already checked their types. */
interface ReportLike {
  kind: 'run' | 'multi';
  verdict: 'pass' | 'fail';
  exitCode: number;
  seeds?: { first: number; last: number; count: number };
  failures: string[];
  failuresOmitted?: number;
  metrics: { runs?: number; failedRuns?: number };
  failedRuns?: ReportLike[];
  failedRunsOmitted?: number;
}

/** Rules beyond the schema: the verdict agrees with the exit code; a multi report's counts add up. */
function crossFieldProblems(report: ReportLike, where = ''): string[] {
  const problems: string[] = [];
  if ((report.verdict === 'pass') !== (report.exitCode === 0)) {
    problems.push(`${where || '(report)'}: verdict "${report.verdict}" disagrees with exitCode ${report.exitCode}`);
  }
  if (report.kind === 'multi') problems.push(...multiProblems(report));
  return problems;
}

function multiProblems(report: ReportLike): string[] {
  const problems: string[] = [];
  const seeds = report.seeds!;
  const failed = report.metrics.failedRuns ?? 0;
  if (seeds.last - seeds.first + 1 !== seeds.count) {
    problems.push(`/seeds: ${seeds.first}..${seeds.last} is not ${seeds.count} seeds`);
  }
  if (report.metrics.runs !== seeds.count) {
    problems.push(`/metrics/runs: says ${report.metrics.runs ?? 0}, but ${seeds.count} seeds were run`);
  }
  const listed = report.failedRuns ?? [];
  if (listed.length + (report.failedRunsOmitted ?? 0) !== failed) {
    problems.push(`/failedRuns: ${listed.length} listed + ${report.failedRunsOmitted ?? 0} omitted, but metrics say ${failed} failed`);
  }
  if (report.failures.length + (report.failuresOmitted ?? 0) !== failed) {
    problems.push(`/failures: ${report.failures.length} listed + ${report.failuresOmitted ?? 0} omitted, but metrics say ${failed} failed`);
  }
  listed.forEach((run, i) => problems.push(...crossFieldProblems({ ...run, kind: 'run' }, `/failedRuns/${i}`)));
  return problems;
}
