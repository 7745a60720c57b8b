/**
 * Where an output file really goes, and whether it can go there. An output path may be a regular file
 * (replaced atomically), a symlink (followed: the link stays, its target is written), a device, FIFO or
 * socket (`/dev/stdout`, `/dev/null`, `>(gzip > r.gz)`: written in place, never replaced by a file), or
 * absent (created). `checkOutputPath` runs before a simulation, so a typo costs nothing.
 */
import { constants } from 'node:fs';
import { access, lstat, readlink, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { IhasimError } from '../harness/errors.js';

/** How a write reaches its target. */
export type OutputTarget =
  /** A regular file, or none yet: write a temp beside it and rename it over `path` (symlinks resolved). */
  | { kind: 'file'; path: string }
  /** A character device, FIFO or socket: open and write in place. */
  | { kind: 'special'; path: string }
  /** This process's stdout or stderr: write to the stream (never truncate what the shell redirected). */
  | { kind: 'stdio'; fd: 1 | 2 };

const STDIO: Record<string, 1 | 2> = {
  '/dev/stdout': 1, '/dev/stderr': 2, '/dev/fd/1': 1, '/dev/fd/2': 2, '/proc/self/fd/1': 1, '/proc/self/fd/2': 2,
};

/** `/dev/fd/N` and `/proc/<pid>/fd/N` name an open descriptor: write through it, never rename over it. */
const FD_PATH = /^\/(dev\/fd|proc\/[^/]+\/fd)\/\d+$/;

/** Linux gives up after 40 links (ELOOP); so do we, for dangling chains resolved by hand. */
const MAX_LINKS = 40;

function errno(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/**
 * Classifies `path` for writing, following symlinks one hop at a time so that a link to `/dev/stdout` (or to
 * `/proc/self/fd/1`) is recognised before the kernel resolves it to a pipe or a terminal, and so that a
 * dangling link gets its target created rather than being replaced.
 * @throws the system error (EISDIR for a directory, ELOOP for a link cycle...)
 */
export async function resolveOutputTarget(path: string): Promise<OutputTarget> {
  let current = resolve(path);
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    const fd = STDIO[current];
    if (fd !== undefined) return { kind: 'stdio', fd };
    if (FD_PATH.test(current)) return { kind: 'special', path: current };
    const st = await lstat(current).catch((err: unknown) => {
      if (isMissing(err)) return null;
      throw err;
    });
    if (st === null) return { kind: 'file', path: current };
    if (st.isSymbolicLink()) {
      current = resolve(dirname(current), await readlink(current));
      continue;
    }
    if (st.isDirectory()) throw errno('EISDIR', `is a directory: ${current}`);
    return st.isFile() ? { kind: 'file', path: current } : { kind: 'special', path: current };
  }
  throw errno('ELOOP', `too many levels of symbolic links: ${path}`);
}

/**
 * Checks before any work that `path` can be written: the target is not a directory, its directory exists
 * and is a writable directory (the temp file goes there), an existing file or device is writable.
 * @param flag the option that named the path (`--report`), for the message
 * @throws IhasimError `IHASIM_OUTPUT_PATH` (exit 3) naming the flag and the path
 */
export async function checkOutputPath(path: string, flag: string): Promise<void> {
  try {
    const target = await resolveOutputTarget(path);
    if (target.kind === 'stdio') return;
    if (target.kind === 'special') return void (await access(target.path, constants.W_OK));
    const exists = await stat(target.path).then(() => true, () => false);
    if (exists) await access(target.path, constants.W_OK);
    const dir = dirname(target.path);
    const dirStat = await stat(dir);
    if (!dirStat.isDirectory()) throw errno('ENOTDIR', `not a directory: ${dir}`);
    await access(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw outputError(path, err, flag);
  }
}

const HINTS: Record<string, string> = {
  ENOENT: 'the directory does not exist; create it first',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'the path is a directory',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'the file is too large for the file system',
  EROFS: 'the file system is read-only',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'the path is too long',
  ENXIO: 'nothing is reading it (a socket, or a FIFO without a reader)',
  EPIPE: 'the reader went away',
};

/**
 * A write error as a user sees it. Errors the user can fix (the HINTS above) are `IHASIM_OUTPUT_PATH`, exit
 * 3, one line: `--report /x/r.json: cannot write (ENOENT: the directory does not exist; create it first)`.
 * Anything else is `IHASIM_REPORT_WRITE`, exit 4: a bug, or a system failure worth reporting.
 */
export function outputError(path: string, err: unknown, flag?: string): IhasimError {
  if (err instanceof IhasimError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const hint = code === undefined ? undefined : HINTS[code];
  const what = flag ? `${flag} ${path}` : path;
  if (hint !== undefined) return new IhasimError('IHASIM_OUTPUT_PATH', `${what}: cannot write (${code}: ${hint})`);
  const reason = err instanceof Error ? err.message : String(err);
  return new IhasimError('IHASIM_REPORT_WRITE', `cannot write ${what}${code ? ` (${code})` : ''}`, [{ file: path, message: reason }]);
}

/** The temp file beside `path`: same directory, so the rename stays on one file system. */
export function tempPathFor(path: string, unique: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${unique}.tmp`);
}
