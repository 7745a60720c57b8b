/**
 * The inject journal: one JSON object per line, appended and fsynced BEFORE each action (with its undo) and after
 * it completes. Whatever kills ihasim (SIGKILL, a crash, a lost laptop), `ihasim inject --restore JOURNAL` reads
 * it back and undoes every fault still active. Nothing secret is ever written here: steps name hosts and
 * commands, never credentials, and every line passes through the redactor.
 */
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { IhasimError } from '../errors.js';
import type { Redactor } from './secrets.js';
import type { Step } from './steps.js';

export const JOURNAL_VERSION = 1;

export type JournalRecord =
  | { type: 'start'; v: number; at: string; campaign: string; file: string; pid: number }
  | { type: 'inject'; at: string; id: string; kind: string; target: string; do: Step; undo: Step | null; plannedUndoAt: string | null }
  | { type: 'injected'; at: string; id: string; ok: boolean; error?: string }
  | { type: 'undo'; at: string; id: string; reason: string }
  | { type: 'undone'; at: string; id: string; ok: boolean; verified: boolean; detail: string }
  | { type: 'abort'; at: string; reason: string }
  | { type: 'restore'; at: string; pid: number; active: string[] }
  | { type: 'end'; at: string; outcome: string };

export class Journal {
  private readonly fd: number;

  constructor(readonly path: string, private readonly redactor: Redactor) {
    try {
      this.fd = openSync(path, 'a', 0o600);
    } catch (err) {
      throw new IhasimError('IHASIM_JOURNAL', `cannot open the journal ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }

  /** Appends one record and fsyncs it: when this returns, the record survives a crash. */
  append(record: JournalRecord): void {
    writeSync(this.fd, this.redactor.text(JSON.stringify(record)) + '\n');
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Reads a journal; a torn last line (a crash mid-write) is skipped, any other bad line is an error. */
export function readJournal(path: string): JournalRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new IhasimError('IHASIM_JOURNAL', `cannot read the journal ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const lines = text.split('\n');
  const records: JournalRecord[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      records.push(JSON.parse(line) as JournalRecord);
    } catch {
      if (i === lines.length - 1) return; // torn final write: the action it announced never started
      throw new IhasimError('IHASIM_JOURNAL', `${path} line ${i + 1} is not a journal record`);
    }
  });
  if (records[0]?.type !== 'start') throw new IhasimError('IHASIM_JOURNAL', `${path} is not an ihasim inject journal (no start record)`);
  return records;
}

/** The faults announced and not yet undone with a verified read-back, oldest first. */
export function activeFaults(records: readonly JournalRecord[]): Extract<JournalRecord, { type: 'inject' }>[] {
  const active = new Map<string, Extract<JournalRecord, { type: 'inject' }>>();
  for (const r of records) {
    if (r.type === 'inject' && r.undo !== null) active.set(r.id, r);
    if (r.type === 'undone' && r.verified) active.delete(r.id);
  }
  return [...active.values()];
}
