import type { TraceRecord } from '../../sim/kernel/trace.js';
import type { TimelineEvent } from '../../reports/report-types.js';
import { formatMs } from '../../reports/format-duration.js';

/** Trace types that tell the story of a run (per-guest boots and API chatter stay in the full trace). */
const NOTABLE = [
  'fault', 'host.', 'pacemaker.', 'fence.', 'network.', 'controller.', 'storage.', 'bmc.', 'nova.service.update',
  'nova-compute.', 'notify.', 'attrd.', 'violation', 'nova.evacuate.', 'fence-nova.', 'unfence.', 'operator.', 'monitor.',
  'nova.sync-power-states', 'nova.instance.stopped', 'guest.',
];

/** Keep at most this many events in the report (the trace has them all). */
export const TIMELINE_MAX = 400;

/**
 * A trace record's fields for a person: `targets=compute-1 duration=15m00s`. Simulated-ms fields (`durationMs`)
 * are shown as durations under their name without `Ms`; the trace (--trace) keeps the raw milliseconds.
 */
export function describe(r: TraceRecord): string {
  const { t: _t, type: _type, entity: _entity, ...rest } = r;
  return Object.entries(rest).map(([k, v]) => field(k, v)).join(' ');
}

function field(key: string, value: unknown): string {
  if (/.Ms$/.test(key) && typeof value === 'number') return `${key.slice(0, -2)}=${formatMs(value)}`;
  const text = Array.isArray(value) ? value.join('|') : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  return `${key}=${text}`;
}

export function timeline(records: readonly TraceRecord[]): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  for (const r of records) {
    if (!NOTABLE.some((p) => r.type.startsWith(p))) continue;
    out.push({ atMs: r.t, type: r.type, entity: r.entity, message: describe(r) });
    if (out.length >= TIMELINE_MAX) break;
  }
  return out;
}
