import type { HeaderObservation, Observation } from '../observation.js';

/** One outage of an instance as a live history shows it: from when it stopped to when it served again (null: not yet). */
export interface Outage { fromMs: number; toMs: number | null; host: string | undefined }

/**
 * Outages from canary heartbeats: a gap longer than the heartbeat window is an outage from the last beat before it to
 * the first after; no beat in the last window before the end is an outage still going. Only instances with a canary.
 */
export function heartbeatOutages(obs: readonly Observation[], header: HeaderObservation, end: number): Map<string, Outage[]> {
  const hb = header.heartbeat;
  const windowMs = hb ? (hb.windowMs ?? 2 * hb.intervalMs) : 0;
  const last = new Map<string, { t: number; host: string | undefined }>();
  const out = new Map<string, Outage[]>();
  for (const o of obs) {
    if (o.kind !== 'heartbeat') continue;
    const prev = last.get(o.instance);
    if (!out.has(o.instance)) out.set(o.instance, []);
    if (prev && o.t - prev.t > windowMs) out.get(o.instance)!.push({ fromMs: prev.t, toMs: o.t, host: prev.host });
    last.set(o.instance, { t: o.t, host: o.host });
  }
  for (const [name, l] of last) if (end - l.t > windowMs) out.get(name)!.push({ fromMs: l.t, toMs: null, host: l.host });
  return out;
}

/**
 * Outages from Nova's view, for instances without a canary: an instance is down from the first view in which its
 * host's compute service is down or it is not ACTIVE, until Nova shows it ACTIVE, no task running, on a host whose
 * service is up.
 */
export function novaOutages(obs: readonly Observation[], end: number): Map<string, Outage[]> {
  const serviceUp = new Map<string, boolean>();
  const hostOf = new Map<string, string | null>();
  const open = new Map<string, Outage>();
  const out = new Map<string, Outage[]>();
  // A server still building at the start has not failed: outages count only once it has served.
  const served = new Set<string>();
  const judge = (name: string, active: boolean, t: number) => {
    const host = hostOf.get(name) ?? null;
    const up = active && host !== null && serviceUp.get(host) !== false;
    if (up) served.add(name);
    const current = open.get(name);
    if (!up && !current && served.has(name)) open.set(name, { fromMs: t, toMs: null, host: host ?? undefined });
    if (up && current) { current.toMs = t; out.get(name)!.push(current); open.delete(name); }
  };
  const active = new Map<string, boolean>();
  for (const o of obs) {
    if (o.kind === 'nova-service') {
      serviceUp.set(o.host, o.state === 'up');
      for (const [name, host] of hostOf) if (host === o.host) judge(name, active.get(name) ?? false, o.t);
    } else if (o.kind === 'nova-server') {
      if (!out.has(o.instance)) out.set(o.instance, []);
      hostOf.set(o.instance, o.host);
      active.set(o.instance, o.vmState === 'active' && o.taskState === null);
      judge(o.instance, active.get(o.instance)!, o.t);
    }
  }
  for (const [name, o] of open) if (o.fromMs < end) out.get(name)!.push(o);
  return out;
}
