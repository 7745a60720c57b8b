/**
 * The phases of a recovery's critical path in order (docs/model.md "Outage and phases"), with the labels and colours the
 * renderers use, and the segments of one instance's recovery.
 */
import type { InstanceOutcome, Phases } from './report-types.js';

export interface PhaseInfo {
  key: keyof Phases | 'other';
  label: string;
  /** Fill colour of the phase in the HTML chart (distinct, readable on white, colour-blind friendly). */
  colour: string;
}

/** The five milestones in critical-path order, then `other`: downtime the phases do not account for. */
export const PHASES: readonly PhaseInfo[] = [
  { key: 'detectMs', label: 'detect', colour: '#4e79a7' },
  { key: 'fenceMs', label: 'fence', colour: '#e15759' },
  { key: 'markDownMs', label: 'mark-down', colour: '#f28e2b' },
  { key: 'evacuateMs', label: 'evacuate', colour: '#76b7b2' },
  { key: 'bootMs', label: 'boot', colour: '#59a14f' },
  { key: 'other', label: 'other', colour: '#bab0ac' },
];

/** One segment of a recovery bar: a phase and its length in simulated ms (> 0). */
export interface PhaseSegment {
  phase: PhaseInfo;
  ms: number;
}

/** Instances that recovered and have a critical path to draw. */
export function recoveredWithPhases(instances: readonly InstanceOutcome[]): InstanceOutcome[] {
  return instances.filter(
    (i) => (i.outcome === 'recovered' || i.outcome === 'recovered-data-lost') && i.phases !== null,
  );
}

/**
 * The non-empty segments of one recovery. Missing phases are skipped; downtime beyond the sum of the
 * phases becomes an `other` segment, so the bar's length is always the downtime.
 */
export function phaseSegments(instance: InstanceOutcome): PhaseSegment[] {
  const segments: PhaseSegment[] = [];
  let sum = 0;
  for (const phase of PHASES) {
    if (phase.key === 'other') continue;
    const ms = instance.phases?.[phase.key] ?? null;
    if (ms === null || !(ms > 0)) continue;
    segments.push({ phase, ms });
    sum += ms;
  }
  const rest = (instance.downtimeMs ?? sum) - sum;
  const other = PHASES[PHASES.length - 1];
  if (rest > 0 && other) segments.push({ phase: other, ms: rest });
  return segments;
}

/** Total length of a bar, in simulated ms. */
export function barLengthMs(segments: readonly PhaseSegment[]): number {
  return segments.reduce((sum, s) => sum + s.ms, 0);
}
