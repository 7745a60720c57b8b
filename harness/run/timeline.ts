import type { TraceRecord } from '../../sim/kernel/trace.js';
import type { TimelineEvent } from '../../reports/report-types.js';

/** Trace types that tell the story of a run (per-guest boots and API chatter stay in the full trace). */
const NOTABLE = [
  'fault', 'host.', 'pacemaker.', 'fence.', 'network.', 'controller.', 'storage.', 'bmc.', 'nova.service.update',
  'nova-compute.', 'notify.', 'attrd.', 'violation', 'nova.evacuate.', 'fence-nova.', 'unfence.', 'operator.', 'monitor.',
  'nova.sync-power-states', 'nova.instance.stopped', 'guest.',
];

/** Keep at most this many events in the report (the trace has them all). */
export const TIMELINE_MAX = 400;

export function describe(r: TraceRecord): string {
  const { t: _t, type: _type, entity: _entity, ...rest } = r;
  const parts = Object.entries(rest).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`);
  return parts.join(' ');
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
