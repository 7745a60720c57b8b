/**
 * Escaping for GitHub-flavoured Markdown. Report text is user input: it must neither break a table nor
 * start a list, heading or HTML tag. Line breaks become spaces, since every cell and list item is one line.
 */
import { replaceForbiddenChars } from './escape.js';

const INLINE_SPECIAL = /[\\`*_[\]|~]/g;
const HTML_SPECIAL: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
/** What would turn the start of a line into a block (heading, list) if not escaped; `>` is already `&gt;`. */
const BLOCK_START = /^(\s*)([#+\-=]|\d+(?=[.)]))/;

/** One line of plain text: control characters replaced, line breaks as spaces. */
function oneLine(text: string): string {
  return replaceForbiddenChars(text).replace(/\r\n|[\r\n]/g, ' ');
}

/** Escapes text for inline use (a table cell, mid-line): it renders literally, on one line. */
export function mdText(text: string): string {
  return oneLine(text)
    .replace(/[&<>]/g, (c) => HTML_SPECIAL[c] ?? c)
    .replace(INLINE_SPECIAL, (c) => `\\${c}`);
}

/**
 * Like `mdText`, for text that starts a line or list item, where `# x`, `- x` or `1. x` would open a
 * heading, list or quote: the marker is escaped.
 */
export function mdLine(text: string): string {
  return mdText(text).replace(BLOCK_START, (_m, space: string, mark: string) =>
    /\d/.test(mark) ? `${space}${mark}\\` : `${space}\\${mark}`,
  );
}

/**
 * An inline code span for `text`, fenced with more backticks than it contains. In a table cell (`inTable`)
 * pipes are escaped, which GFM unescapes inside code spans too.
 */
export function mdCode(text: string, inTable = false): string {
  const body = inTable ? oneLine(text).replace(/\|/g, '\\|') : oneLine(text);
  if (body === '') return '';
  const fence = '`'.repeat(longestRun(body, '`') + 1);
  const pad = body.startsWith('`') || body.endsWith('`') || body.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** A fenced code block; the fence is longer than any backtick run inside. */
export function mdCodeBlock(text: string, lang = ''): string {
  const body = replaceForbiddenChars(text).replace(/\r\n?/g, '\n');
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  return `${fence}${lang}\n${body}\n${fence}`;
}

function longestRun(text: string, ch: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}
