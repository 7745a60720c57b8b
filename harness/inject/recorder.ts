/**
 * The campaign's history (harness/history/HISTORY.md): every observation with `t` in wall-clock ms since the
 * campaign began, kept in memory for the judge and streamed to `--history FILE` when asked. The timeline of the
 * report is drawn from the same observations.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import type { Observation } from '../history/observation.js';
import type { Redactor } from './secrets.js';

type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type NewObservation = Without<Observation, 't'>;

export class Recorder {
  readonly observations: Observation[] = [];

  constructor(private readonly startMs: number, private readonly redactor: Redactor, private readonly file?: string, private readonly clock: () => number = Date.now) {
    if (file) writeFileSync(file, '');
  }

  /** Ms since the campaign began. */
  now(): number {
    return this.clock() - this.startMs;
  }

  private started = false;
  private ended = false;

  /** Records one observation; after the end line, nothing more (a late heartbeat is not part of the run). */
  add(o: NewObservation, t = this.now()): void {
    if (this.ended) return;
    if (o.kind === 'end') this.ended = true;
    const full = { t, ...o } as Observation;
    this.observations.push(full);
    if (this.started) this.write(full);
  }

  /**
   * Puts the header first (it names the canaries, known only after the first poll) and starts streaming: what was
   * observed before it follows it, in order.
   */
  start(header: Extract<NewObservation, { kind: 'header' }>): void {
    this.observations.unshift({ t: 0, ...header } as Observation);
    this.started = true;
    for (const o of this.observations) this.write(o);
  }

  private write(o: Observation): void {
    if (this.file) appendFileSync(this.file, this.redactor.text(JSON.stringify(o)) + '\n');
  }
}
