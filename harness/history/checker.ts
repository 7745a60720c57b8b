import type { Violation } from '../../reports/report-types.js';
import type { EndObservation, HeaderObservation, Observation, ObservationKind } from './observation.js';
import type { Verdict } from './verdict.js';

/**
 * One invariant as a reducer over a history: created from the header, fed every observation of the kinds it
 * declares, in order, then asked for its verdict. `step` returns the violations found at that instant, so the
 * simulator can mark them in its trace as they happen; `finish` must not change the checker (`ihasim serve` asks
 * for a verdict again and again as its world runs).
 */
export interface InvariantChecker {
  step(o: Observation): Violation[] | undefined;
  finish(end: EndObservation | null): Verdict;
}

export interface CheckerEntry {
  readonly name: string;
  readonly kind: 'safety' | 'liveness';
  /** The observation kinds its reducer reads (the judge routes only those to it). */
  readonly reads: readonly ObservationKind[];
  /**
   * Kinds it reads only from a live history (`inject`): what stands in for the truth there. The simulator's
   * history is not routed through them, which keeps a run of many seeds cheap.
   */
  readonly liveReads?: readonly ObservationKind[];
  create(header: HeaderObservation): InvariantChecker;
}

/**
 * The violations of one safety invariant, one per key (the first instant it happened), so a long double run is
 * one finding. `verdict` is fail with them, or pass, or unknown when `heard` stayed false (nothing the
 * invariant needs was observed) and the history is not the simulator's truth.
 */
export class Findings {
  readonly violations: Violation[] = [];
  private readonly seen = new Set<string>();
  heard = false;

  constructor(private readonly invariant: string, private readonly kind: 'safety' | 'liveness') {}

  add(key: string, atMs: number, entities: string[], message: string): Violation[] | undefined {
    if (this.seen.has(key)) return undefined;
    this.seen.add(key);
    const v: Violation = { invariant: this.invariant, kind: this.kind, atMs, entities, message };
    this.violations.push(v);
    return [v];
  }

  verdict(header: HeaderObservation, missing: string): Verdict {
    if (this.violations.length > 0) return { invariant: this.invariant, status: 'fail', violations: [...this.violations] };
    if (!this.heard && header.mode !== 'run') return { invariant: this.invariant, status: 'unknown', why: missing };
    return { invariant: this.invariant, status: 'pass' };
  }
}

/** The header's instances split by eligibility; cached per list (the simulator shares one list across seeds). */
const eligibilityCache = new WeakMap<HeaderObservation['instances'], { eligible: ReadonlySet<string>; excluded: ReadonlySet<string> }>();

export function eligibilityOf(header: HeaderObservation): { eligible: ReadonlySet<string>; excluded: ReadonlySet<string> } {
  let e = eligibilityCache.get(header.instances);
  if (!e) {
    e = {
      eligible: new Set(header.instances.filter((i) => i.eligible).map((i) => i.name)),
      excluded: new Set(header.instances.filter((i) => !i.eligible).map((i) => i.name)),
    };
    eligibilityCache.set(header.instances, e);
  }
  return e;
}
