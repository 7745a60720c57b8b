/**
 * A file written line by line while a long computation runs (`ihasim run --seeds N --runs-jsonl FILE`):
 * synchronous writes in 1 MiB batches, so memory stays flat however many lines there are, and the
 * computation needs no event loop turns. Same targets and guarantees as `writeFileAtomic`: a regular file
 * appears atomically when closed (a temp file until then, removed on failure, Ctrl-C or SIGTERM); a
 * device, FIFO or stdout is written in place.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { outputError, resolveOutputTarget, tempPathFor } from './output-path.js';
import { trackTemp, untrackTemp } from './temp-files.js';

const BATCH_BYTES = 1 << 20;

export class LineFile {
  private buffer: string[] = [];
  private buffered = 0;
  private closed = false;

  private constructor(
    private readonly path: string,
    private readonly flag: string | undefined,
    private readonly fd: number,
    /** The temp file to rename over `target` on close; null when written in place. */
    private readonly temp: { path: string; target: string } | null,
    private readonly ownsFd: boolean,
  ) {}

  /** @throws IhasimError `IHASIM_OUTPUT_PATH` (exit 3) when the target cannot be opened */
  static async open(path: string, flag?: string): Promise<LineFile> {
    try {
      const target = await resolveOutputTarget(path);
      if (target.kind === 'stdio') return new LineFile(path, flag, target.fd, null, false);
      if (target.kind === 'special') return new LineFile(path, flag, openSync(target.path, 'w'), null, true);
      const temp = tempPathFor(target.path, randomBytes(6).toString('hex'));
      trackTemp(temp);
      try {
        return new LineFile(path, flag, openSync(temp, 'wx'), { path: temp, target: target.path }, true);
      } catch (err) {
        untrackTemp(temp);
        throw err;
      }
    } catch (err) {
      throw outputError(path, err, flag);
    }
  }

  /** Appends `line` and a newline. @throws IhasimError when a batch cannot be written (ENOSPC...) */
  writeLine(line: string): void {
    this.buffer.push(line, '\n');
    this.buffered += line.length + 1;
    if (this.buffered >= BATCH_BYTES) this.flush();
  }

  /** Flushes, fsyncs and renames the temp over the target (a regular file), or closes the device. */
  close(): void {
    if (this.closed) return;
    try {
      this.flush();
      if (this.temp) fsyncSync(this.fd);
    } catch (err) {
      this.abort();
      throw err;
    }
    this.closed = true;
    if (this.ownsFd) closeSync(this.fd);
    if (!this.temp) return;
    try {
      renameSync(this.temp.path, this.temp.target);
    } catch (err) {
      this.removeTemp();
      throw outputError(this.path, err, this.flag);
    }
    untrackTemp(this.temp.path);
  }

  /** Gives up: closes, and removes the temp file (the old target, if any, is left as it was). */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsFd) {
      try {
        closeSync(this.fd);
      } catch {
        // Already failing; the temp is removed below either way.
      }
    }
    this.removeTemp();
  }

  private removeTemp(): void {
    if (!this.temp) return;
    try {
      unlinkSync(this.temp.path);
    } catch {
      // Gone already.
    }
    untrackTemp(this.temp.path);
  }

  private flush(): void {
    if (this.buffered === 0) return;
    const data = Buffer.from(this.buffer.join(''), 'utf8');
    this.buffer = [];
    this.buffered = 0;
    try {
      writeAll(this.fd, data);
    } catch (err) {
      throw outputError(this.path, err, this.flag);
    }
  }
}

/** writeSync until every byte is out; a non-blocking pipe (stdout) answers EAGAIN when full: wait a little. */
function writeAll(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += writeSync(fd, data, offset);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}
