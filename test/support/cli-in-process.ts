import { vi } from 'vitest';
import { main } from '../../harness/cli/main.js';
import { writeServeScenario } from './serve-scenario.js';

/** Runs the CLI in this process: its exit code, what it printed, and what it wrote on stderr. */
export async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  try {
    const code = await main(args, (s) => out.push(s));
    return { code, out: out.join('\n'), err: err.join('') };
  } finally {
    spy.mockRestore();
  }
}

/** `ihasim serve` on the test scenario, quietly, for flags it refuses before serving: exit code and stderr. */
export async function serveCli(args: string[]): Promise<{ code: number; stderr: string }> {
  const { code, err } = await cli(['serve', writeServeScenario(), '--log-level', 'silent', ...args]);
  return { code, stderr: err };
}
