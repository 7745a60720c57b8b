/**
 * Atomic report writes: a reader (CI, a browser, a second ihasim) sees the old file or the new one, never
 * a half-written one. Data is written to a temp file in the target's directory, flushed, then renamed.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { IhasimError } from '../harness/errors.js';
import { renderHtml } from './html.js';
import { renderJUnit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import type { RenderOptions } from './render-options.js';
import type { Report } from './report-types.js';

/** Where to write each format; formats left out are not written. */
export interface ReportTargets {
  json?: string;
  junit?: string;
  markdown?: string;
  html?: string;
}

/**
 * Writes `data` (UTF-8) to `path` atomically: temp file in the same directory (so rename stays on one
 * file system), fsync, rename over `path`. On failure the temp file is removed and the old file is intact.
 * @throws IhasimError `IHASIM_REPORT_WRITE` naming the path and the system error.
 */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw writeError(path, err);
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
 * Renders and writes each requested format atomically, in the order json, junit, markdown, html.
 * Stops at the first failure; files written before it stay written. `options` bounds Markdown and HTML.
 * @throws IhasimError `IHASIM_REPORT_WRITE`
 */
export async function writeReports(report: Report, targets: ReportTargets, options?: RenderOptions): Promise<void> {
  for (const format of Object.keys(RENDERERS) as (keyof ReportTargets)[]) {
    const path = targets[format];
    if (path === undefined) continue;
    await writeFileAtomic(path, RENDERERS[format](report, options));
  }
}

const HINTS: Record<string, string> = {
  ENOENT: 'the directory does not exist; create it first',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'the path is a directory',
  ENOTDIR: 'a part of the path is a file, not a directory',
  ENOSPC: 'no space left on the device',
  EROFS: 'the file system is read-only',
};

function writeError(path: string, err: unknown): IhasimError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const reason = err instanceof Error ? err.message : String(err);
  const hint = code === undefined ? undefined : HINTS[code];
  const detail = { file: path, message: reason, ...(hint === undefined ? {} : { hint }) };
  return new IhasimError('IHASIM_REPORT_WRITE', `cannot write ${path}${code ? ` (${code})` : ''}`, [detail]);
}
