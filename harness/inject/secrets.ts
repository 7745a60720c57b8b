/**
 * Credentials of a campaign come only from environment variables and files. Every value read is registered with
 * the redactor, and everything the command writes (journal, logs, reports, messages) passes through it, so a
 * secret that leaked into an error message from a library is still never written.
 */
import { readFileSync } from 'node:fs';
import { IhasimError } from '../errors.js';

const MASK = '***';

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers a secret value (values shorter than 4 characters would mask ordinary text: refused elsewhere). */
  add(value: string): string {
    if (value.length > 0) this.secrets.add(value);
    return value;
  }

  /** The text with every registered secret replaced by `***`. */
  text(s: string): string {
    let out = s;
    for (const v of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(v).join(MASK);
    return out;
  }

  /** A JSON-able value with every string redacted. */
  value<T>(v: T): T {
    return JSON.parse(this.text(JSON.stringify(v))) as T;
  }
}

/** The secret behind `passwordEnv` / `passwordFile`, registered with the redactor. */
export function readSecret(where: { passwordEnv?: string; passwordFile?: string }, redactor: Redactor, what: string): string {
  if (where.passwordEnv !== undefined) {
    const v = process.env[where.passwordEnv];
    if (v === undefined || v === '') throw new IhasimError('IHASIM_INJECT_PREFLIGHT', `${what}: environment variable ${where.passwordEnv} is not set`);
    return redactor.add(v);
  }
  if (where.passwordFile !== undefined) {
    let v: string;
    try {
      v = readFileSync(where.passwordFile, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new IhasimError('IHASIM_INJECT_PREFLIGHT', `${what}: cannot read ${where.passwordFile} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (v === '') throw new IhasimError('IHASIM_INJECT_PREFLIGHT', `${what}: ${where.passwordFile} is empty`);
    return redactor.add(v);
  }
  throw new IhasimError('IHASIM_INJECT_PREFLIGHT', `${what}: no passwordEnv or passwordFile`);
}
