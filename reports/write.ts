/**
 * Report writes. A regular file is replaced atomically: a reader (CI, a browser, a second ihasim) sees the
 * old file or the new one, never a half-written one. A device, FIFO or stdout is written in place (it
 * cannot be replaced, and must not be: `--report /dev/stdout` pipes the report on). See output-path.ts.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { renderHtml } from './html.js';
import { renderJUnit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { checkOutputPath, outputError, resolveOutputTarget, tempPathFor } from './output-path.js';
import type { RenderOptions } from './render-options.js';
import type { Report } from './report-types.js';
import { trackTemp, untrackTemp } from './temp-files.js';

/** Where to write each format; formats left out are not written. */
export interface ReportTargets {
  json?: string;
  junit?: string;
  markdown?: string;
  html?: string;
}

/** The CLI flag of each format, for error messages. */
export const REPORT_FLAGS: Record<keyof ReportTargets, string> = { json: '--report', junit: '--junit', markdown: '--markdown', html: '--html' };

/** What to write: one string, or chunks (a long trace is streamed rather than joined into one string). */
export type WriteData = string | Iterable<string> | AsyncIterable<string>;

export interface WriteOptions {
  /** The option that named the path (`--report`), named in errors. */
  flag?: string;
}

async function* chunksOf(data: WriteData): AsyncIterable<string> {
  if (typeof data === 'string') yield data;
  else yield* data;
}

/**
 * Writes `data` (UTF-8) to `path`. A regular file (or a new one, or the target of a symlink) is written to a
 * temp file in the same directory, fsynced and renamed over the target; on failure, Ctrl-C or SIGTERM the temp
 * is removed and the old file is intact. A device, FIFO or socket is opened and written in place, and its
 * errors are reported (`/dev/full`: ENOSPC). `/dev/stdout` and `/dev/stderr` go to the process's streams.
 * @throws IhasimError `IHASIM_OUTPUT_PATH` (exit 3) for what a user can fix, else `IHASIM_REPORT_WRITE`
 */
export async function writeFileAtomic(path: string, data: WriteData, options: WriteOptions = {}): Promise<void> {
  try {
    const target = await resolveOutputTarget(path);
    if (target.kind === 'stdio') await writeStdio(target.fd === 1 ? process.stdout : process.stderr, data);
    else if (target.kind === 'special') await writeInPlace(target.path, data);
    else await replaceAtomically(target.path, data);
  } catch (err) {
    throw outputError(path, err, options.flag);
  }
}

async function replaceAtomically(path: string, data: WriteData): Promise<void> {
  const temp = tempPathFor(path, randomBytes(6).toString('hex'));
  trackTemp(temp);
  try {
    const handle = await open(temp, 'wx');
    try {
      for await (const chunk of chunksOf(data)) await handle.write(chunk, null, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  } finally {
    untrackTemp(temp);
  }
}

async function writeInPlace(path: string, data: WriteData): Promise<void> {
  const handle = await open(path, 'w');
  try {
    for await (const chunk of chunksOf(data)) await handle.write(chunk, null, 'utf8');
  } finally {
    await handle.close();
  }
}

async function writeStdio(stream: NodeJS.WriteStream, data: WriteData): Promise<void> {
  for await (const chunk of chunksOf(data)) {
    await new Promise<void>((done, fail) => stream.write(chunk, 'utf8', (err) => (err ? fail(err) : done())));
  }
}

/** The JSON report as written to disk: two-space indented, ending with a newline. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

const RENDERERS: Record<keyof ReportTargets, (report: Report, options?: RenderOptions) => string> = {
  json: renderJson,
  junit: renderJUnit,
  markdown: renderMarkdown,
  html: renderHtml,
};

/**
 * Checks every requested target before any work (see `checkOutputPath`).
 * @throws IhasimError `IHASIM_OUTPUT_PATH` naming the first bad flag and path
 */
export async function checkReportTargets(targets: ReportTargets): Promise<void> {
  for (const format of Object.keys(RENDERERS) as (keyof ReportTargets)[]) {
    const path = targets[format];
    if (path !== undefined) await checkOutputPath(path, REPORT_FLAGS[format]);
  }
}

/**
 * Renders and writes each requested format, in the order json, junit, markdown, html.
 * Stops at the first failure; files written before it stay written. `options` bounds Markdown and HTML.
 * @throws IhasimError `IHASIM_OUTPUT_PATH` or `IHASIM_REPORT_WRITE`
 */
export async function writeReports(report: Report, targets: ReportTargets, options?: RenderOptions): Promise<void> {
  for (const format of Object.keys(RENDERERS) as (keyof ReportTargets)[]) {
    const path = targets[format];
    if (path === undefined) continue;
    await writeFileAtomic(path, RENDERERS[format](report, options), { flag: REPORT_FLAGS[format] });
  }
}
