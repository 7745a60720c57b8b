/**
 * The one registry of stable error codes. Every error a user can see carries one of these codes; docs
 * (README "Error codes") and tests are kept in sync with this table (test/unit/harness/errors.test.ts).
 *
 * `exit` is the CLI exit code the error maps to (README "Running scenarios": exit codes): 3 bad input or usage, 4 internal.
 * `status` is the HTTP status a server answers with when the error reaches a route.
 */
export const ERROR_CODES = {
  IHASIM_USAGE: { exit: 3, status: 400, summary: 'bad command line: unknown command, flag or flag value' },
  IHASIM_SCENARIO_READ: { exit: 3, status: 400, summary: 'the scenario file cannot be read' },
  IHASIM_SCENARIO_YAML: { exit: 3, status: 400, summary: 'the scenario file is not valid YAML' },
  IHASIM_SCENARIO_SCHEMA: { exit: 3, status: 400, summary: 'the scenario does not match the schema (unknown key, wrong type, bad value)' },
  IHASIM_SCENARIO_SEMANTIC: { exit: 3, status: 400, summary: 'the scenario is well-formed but inconsistent (unknown host, flavor, image; empty range; fault after duration)' },
  IHASIM_FAULT_TARGET: { exit: 3, status: 400, summary: 'a fault names a target that does not exist or cannot take that fault' },
  IHASIM_SIM_BOUND: { exit: 4, status: 500, summary: 'the simulation hit its event or time bound (a runaway loop)' },
  IHASIM_INTERNAL: { exit: 4, status: 500, summary: 'an internal error: a bug in ihasim, please report it with the replay command' },
  IHASIM_REPORT_WRITE: { exit: 4, status: 500, summary: 'a report, trace or JUnit file could not be written' },
  IHASIM_OUTPUT_PATH: { exit: 3, status: 400, summary: 'an output file cannot be written there: missing directory, no permission, a directory, no space, read-only' },
  IHASIM_HISTORY_READ: { exit: 3, status: 400, summary: 'a history file cannot be read, or a line of it is not a valid observation (truncated, bad JSON, wrong field)' },
  IHASIM_CAMPAIGN_INVALID: { exit: 3, status: 400, summary: 'the inject campaign file cannot be read, is not valid YAML, or does not match its schema (inline secrets included)' },
  IHASIM_INJECT_REFUSED: { exit: 3, status: 400, summary: 'the campaign hits a host that is not allowed, or its schedule exceeds maxHostsDown or maxAzFraction' },
  IHASIM_INJECT_PREFLIGHT: { exit: 3, status: 400, summary: 'a read-only check before injecting failed: Keystone auth, a BMC power status or an SSH session' },
  IHASIM_JOURNAL: { exit: 3, status: 400, summary: 'the inject journal cannot be written, read or parsed' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** One detail line of a bad-input error: where, what was expected, what was found. */
export interface ErrorDetail {
  file?: string;
  line?: number;
  column?: number;
  /** JSON-pointer-like key path, e.g. `faults[2].target.rack`. */
  path?: string;
  expected?: string;
  found?: string;
  message: string;
  hint?: string;
}

/** An error with a stable code; `details` lists every problem found (a scenario can have several). */
export class IhasimError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly ErrorDetail[];

  constructor(code: ErrorCode, message: string, details: readonly ErrorDetail[] = []) {
    super(message);
    this.name = 'IhasimError';
    this.code = code;
    this.details = details;
  }

  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }
}

export function isIhasimError(err: unknown): err is IhasimError {
  return err instanceof IhasimError;
}

/** Renders an error for a terminal: one line per detail, `file:line path: message (expected X, found Y)`. */
export function formatError(err: IhasimError): string {
  const lines = [`error[${err.code}]: ${err.message}`];
  for (const d of err.details) {
    const where = [d.file && d.line ? `${d.file}:${d.line}${d.column ? `:${d.column}` : ''}` : d.file, d.path]
      .filter(Boolean)
      .join(' ');
    const ef = d.expected || d.found ? ` (expected ${d.expected ?? '?'}, found ${d.found ?? '?'})` : '';
    lines.push(`  ${where ? `${where}: ` : ''}${d.message}${ef}${d.hint ? `; ${d.hint}` : ''}`);
  }
  return lines.join('\n');
}
