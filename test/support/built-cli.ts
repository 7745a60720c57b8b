/**
 * Tests that need a real process (signals, exit statuses, /dev/stdout) spawn `bin/ihasim.js`, which runs the
 * bundled dist/cli/. `ensureBuilt()` rebuilds dist/ (`npm run build`: tsc, then the bundle) when any source is newer
 * than the bundle, so such a test never runs stale code.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/ihasim.js');
const MARKER = join(ROOT, 'dist/cli/launch.js');
const SOURCES = ['harness', 'reports', 'sim', 'index.ts', 'package.json', 'scripts'];
const LOCK = join(ROOT, '.dist-build.lock');

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return /\.(ts|json|mjs)$/.test(path) ? st.mtimeMs : 0;
  return readdirSync(path).reduce((m, name) => Math.max(m, newestMtime(join(path, name))), 0);
}

function isStale(): boolean {
  let built: number;
  try {
    built = statSync(MARKER).mtimeMs;
  } catch {
    return true;
  }
  return SOURCES.some((s) => newestMtime(join(ROOT, s)) > built);
}

/** Builds dist/ if stale; one test file builds while the others wait on a lock directory. */
export function ensureBuilt(): void {
  if (!isStale()) return;
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      mkdirSync(LOCK);
    } catch {
      execFileSync('sleep', ['0.5']);
      if (!isStale()) return;
      continue;
    }
    try {
      if (isStale()) execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
      return;
    } finally {
      rmdirSync(LOCK);
    }
  }
  throw new Error(`gave up waiting for ${LOCK}; remove it if no build is running`);
}

export interface Spawned {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  /** Resolves once stdout or stderr contains `pattern`; rejects if the process exits first. */
  waitFor: (pattern: RegExp) => Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `node bin/ihasim.js ...args` with pipes on every stream. */
export function spawnCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Spawned {
  return spawnNode([BIN, ...args], options);
}

export function spawnNode(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Spawned {
  const child = spawn(process.execPath, args, { cwd: options.cwd ?? ROOT, env: { ...process.env, CI: '', ...options.env } });
  let out = '';
  let err = '';
  const waiters: { pattern: RegExp; done: () => void; fail: (e: Error) => void }[] = [];
  const poke = (): void => {
    for (const w of [...waiters]) {
      if (w.pattern.test(out) || w.pattern.test(err)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.done();
      }
    }
  };
  child.stdout.on('data', (d: Buffer) => ((out += d.toString()), poke()));
  child.stderr.on('data', (d: Buffer) => ((err += d.toString()), poke()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.on('close', (code, signal) => {
      for (const w of waiters.splice(0)) w.fail(new Error(`exited (${code ?? signal}) before ${w.pattern}\nstdout: ${out}\nstderr: ${err}`));
      done({ code, signal });
    });
  });
  const waitFor = (pattern: RegExp): Promise<void> =>
    new Promise((done, fail) => {
      waiters.push({ pattern, done, fail });
      poke();
    });
  return { child, stdout: () => out, stderr: () => err, waitFor, exit };
}
