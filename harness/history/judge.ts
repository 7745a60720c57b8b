import type { Violation } from '../../reports/report-types.js';
import type { InvariantChecker } from './checker.js';
import type { EndObservation, HeaderObservation, Observation, ObservationKind } from './observation.js';
import { INVARIANT_TABLE } from './table.js';
import type { Verdict } from './verdict.js';

/**
 * Judges one history with the invariant table: the invariants the header judges, each fed the observation kinds
 * it reads, in order. `step` returns the violations found at that instant; `verdicts` may be asked at any time.
 */
export class HistoryJudge {
  private readonly routes = new Map<ObservationKind, InvariantChecker[]>();
  private readonly checkers: InvariantChecker[] = [];
  /** Violations found so far by `step` (safety ones as they happen), in the order found. */
  readonly violations: Violation[] = [];
  /** The history's end line, once stepped. */
  end: EndObservation | null = null;

  constructor(readonly header: HeaderObservation) {
    const judged = new Set(header.judged);
    for (const entry of INVARIANT_TABLE) {
      if (!judged.has(entry.name)) continue;
      const checker = entry.create(header);
      this.checkers.push(checker);
      const kinds = header.mode === 'run' ? entry.reads : [...entry.reads, ...(entry.liveReads ?? [])];
      for (const kind of kinds) {
        let list = this.routes.get(kind);
        if (!list) this.routes.set(kind, (list = []));
        list.push(checker);
      }
    }
  }

  /** Whether any judged invariant reads this kind (the simulator skips building observations nobody reads). */
  reads(kind: ObservationKind): boolean {
    return this.routes.has(kind);
  }

  step(o: Observation): Violation[] | undefined {
    if (o.kind === 'end') this.end = o;
    const list = this.routes.get(o.kind);
    if (!list) return undefined;
    let found: Violation[] | undefined;
    for (const c of list) {
      const v = c.step(o);
      if (v) (found ??= []).push(...v);
    }
    if (found) this.violations.push(...found);
    return found;
  }

  /** One verdict per judged invariant, in the table's order. */
  verdicts(end: EndObservation | null = this.end): Verdict[] {
    return this.checkers.map((c) => c.finish(end));
  }
}

/** Judge a whole history (header first). */
export function judgeHistory(observations: Iterable<Observation>): { header: HeaderObservation; verdicts: Verdict[]; end: EndObservation | null } {
  let judge: HistoryJudge | null = null;
  for (const o of observations) {
    if (judge === null) {
      if (o.kind !== 'header') throw new Error('a history begins with its header');
      judge = new HistoryJudge(o);
      continue;
    }
    judge.step(o);
  }
  if (judge === null) throw new Error('the history is empty');
  return { header: judge.header, verdicts: judge.verdicts(), end: judge.end };
}
