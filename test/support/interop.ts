/**
 * Helpers for interop tests that drive real, unmodified clients (ipmitool, fence agents, openstack CLI) as
 * child processes. A missing client skips the suite locally, with a message saying how to install it, but
 * fails it in CI (`CI=true`), where every client is installed on purpose and a skip would hide a regression.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';

/** The absolute path of `binary` on PATH (plus the sbin directories fence agents live in), or undefined. */
export function findBinary(binary: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/** The part of vitest's `describe` an interop suite needs. */
export type DescribeFn = (name: string, body: () => void) => void;

export interface ClientCheck {
  /** Absolute path of the binary when present. */
  path: string | undefined;
  /** `describe` when the client is present; otherwise `describe.skip` (locally) or a failing suite (CI). */
  describe: DescribeFn;
}

/**
 * Checks that a real client is installed. Use as `const ipmitool = requireClient('ipmitool', 'ipmitool');
 * ipmitool.describe('…', () => …)`.
 */
export function requireClient(binary: string, debianPackage: string): ClientCheck {
  const path = findBinary(binary);
  if (path) return { path, describe: (name, body) => describe(name, body) };
  const message = `interop: ${binary} not installed — install with apt-get install ${debianPackage}`;
  if (process.env.CI === 'true') {
    const failing: DescribeFn = (name) =>
      describe(name, () => {
        it(`requires ${binary}`, () => {
          throw new Error(`${message} (CI=true: a missing client fails the run)`);
        });
      });
    return { path, describe: failing };
  }
  console.warn(`${message} — skipping`);
  return { path, describe: (name, body) => describe.skip(name, body) };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a client to completion (never rejects on a non-zero exit); `timeoutMs` kills it. */
export function runClient(file: string, args: readonly string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: opts.timeoutMs ?? 30_000, env: { ...process.env, ...opts.env } }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
