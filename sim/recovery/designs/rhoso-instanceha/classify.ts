import type {
  AggregateRecord, FlavorRecord, ImageRecord, InstanceRecord, ServiceRecord,
} from '../../../nova/records.js';
import type { RhosoConfig } from './config.js';

/** The disabled-reason markers instanceha.py writes and reads (`DISABLED_REASON_*`). */
export const REASON = {
  evacuation: 'instanceha evacuation',
  complete: 'instanceha evacuation complete',
  failed: 'instanceha evacuation FAILED',
  kdump: '(kdump)',
} as const;

/**
 * `_make_disable_reason`: `<prefix><suffix>: <datetime.now(timezone.utc).isoformat()>`; simulated time counts from
 * 1970-01-01T00:00:00 (no wall clock under sim/).
 */
export function disableReason(prefix: string, nowMs: number, suffix = ''): string {
  return `${prefix}${suffix}: ${isoformat(nowMs)}`;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Python's `datetime.isoformat()` of a UTC time within the first month of the epoch, e.g. `1970-01-01T00:02:15.100000+00:00`. */
export function isoformat(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  const rest = ms - day * 86_400_000;
  const [h, m, s, milli] = [Math.floor(rest / 3_600_000), Math.floor(rest / 60_000) % 60, Math.floor(rest / 1000) % 60, rest % 1000];
  return `1970-01-${pad(day + 1)}T${pad(h)}:${pad(m)}:${pad(s)}.${pad(milli, 3)}000+00:00`;
}

const reasonOf = (s: ServiceRecord): string => s.disabledReason ?? '';
const disabled = (s: ServiceRecord): boolean => s.status === 'disabled';

/** `_is_service_resume_candidate`: forced down, down, disabled by an evacuation not complete nor FAILED. */
export function isResumeCandidate(s: ServiceRecord): boolean {
  if (!(s.forcedDown && s.state === 'down' && disabled(s))) return false;
  const r = reasonOf(s);
  return r.includes(REASON.evacuation) && !r.includes(REASON.failed) && !r.includes(REASON.complete);
}

/** `_is_service_stale`: updated_at older than the poll's target date (now - DELTA). */
export function isStale(s: ServiceRecord, targetMs: number): boolean {
  return s.updatedAtMs < targetMs;
}

export interface Categories {
  /** Failure candidates (`compute_nodes`). */
  candidates: ServiceRecord[];
  resume: ServiceRecord[];
  reenable: ServiceRecord[];
}

/** `_categorize_services`. */
export function categorize(services: readonly ServiceRecord[], targetMs: number): Categories {
  return {
    candidates: services.filter((s) => !(disabled(s) || s.forcedDown) && (s.state === 'down' || isStale(s, targetMs))),
    resume: services.filter(isResumeCandidate),
    reenable: services.filter((s) =>
      ((!disabled(s) && s.forcedDown) || (disabled(s) && reasonOf(s).includes(REASON.complete))) && !isResumeCandidate(s)),
  };
}

/**
 * Nova's API `status` of a server (nova/api/openstack/common.py `_STATE_MAP`): the task state wins for a rebuild,
 * otherwise the vm state.
 */
export function apiStatus(s: InstanceRecord): string {
  if (s.taskState === 'rebuilding' || s.taskState === 'rebuild_spawning') return 'REBUILD';
  switch (s.vmState) {
    case 'active': return 'ACTIVE';
    case 'stopped': return 'SHUTOFF';
    case 'error': return 'ERROR';
    case 'building': return 'BUILD';
    case 'paused': return 'PAUSED';
    case 'deleted': return 'DELETED';
  }
}

/** `_check_evacuable_tag`: a dict key equal to or containing the tag with value `true`, or a list item containing it. */
function tagged(data: Readonly<Record<string, string>> | readonly string[], tag: string): boolean {
  if (Array.isArray(data)) return data.some((item: string) => item.includes(tag));
  const map = data as Readonly<Record<string, string>>;
  if (tag in map) return String(map[tag]).toLowerCase() === 'true';
  return Object.entries(map).some(([k, v]) => k.includes(tag) && v.toLowerCase() === 'true');
}

/** `_is_resource_evacuable(agg, tag, ['metadata'])`. */
export const aggregateEvacuable = (a: AggregateRecord, tag: string): boolean => tagged(a.metadata, tag);

/** Hosts in an evacuable aggregate (`_get_evacuable_hosts_from_aggregates`). */
export function evacuableHosts(aggregates: readonly AggregateRecord[], tag: string): Set<string> {
  const out = new Set<string>();
  for (const a of aggregates) if (aggregateEvacuable(a, tag)) a.hosts.forEach((h) => out.add(h));
  return out;
}

/** The evacuable flavors and images (`_fetch_evacuable_flavors`, `_fetch_evacuable_images`), by the ids servers carry. */
export interface Evacuables {
  flavors: Set<string>;
  images: Set<string>;
}

export function evacuables(config: RhosoConfig, flavors: readonly FlavorRecord[], images: readonly ImageRecord[]): Evacuables {
  const tag = config.evacuableTag;
  return {
    flavors: new Set(config.taggedFlavors ? flavors.filter((f) => tagged(f.extraSpecs, tag)).flatMap((f) => [f.id, f.name]) : []),
    images: new Set(config.taggedImages
      ? images.filter((i) => tagged(i.tags, tag) || tagged(i.properties, tag)).flatMap((i) => [i.id, i.name]) : []),
  };
}

/**
 * `InstanceHAService.is_server_evacuable`: with tagging on and something tagged, the server's image or flavor must
 * be tagged; with nothing tagged at all, every server is (fails open).
 */
export function isServerEvacuable(config: RhosoConfig, ev: Evacuables, s: InstanceRecord): boolean {
  if (!(config.taggedImages || config.taggedFlavors)) return true;
  const anyImages = config.taggedImages && ev.images.size > 0;
  const anyFlavors = config.taggedFlavors && ev.flavors.size > 0;
  if (!(anyImages || anyFlavors)) return true;
  return (anyImages && ev.images.has(s.image)) || (anyFlavors && ev.flavors.has(s.flavor));
}

/** fnmatch-style glob (`*`, `?`, `[...]`), as `_should_skip_server` uses. */
export function fnmatch(name: string, pattern: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`).test(name);
}

/** `_get_evacuable_servers`: state, name and tag filters. REBUILD servers only on resume. */
export function evacuableServers(config: RhosoConfig, ev: Evacuables, servers: readonly InstanceRecord[], resume: boolean): InstanceRecord[] {
  const allowed = new Set(['ACTIVE', 'ERROR', 'SHUTOFF', ...(resume ? ['REBUILD'] : [])]);
  return servers
    .filter((s) => allowed.has(apiStatus(s)))
    .filter((s) => !config.skipServersWithName.some((p) => fnmatch(s.name, p)))
    .filter((s) => isServerEvacuable(config, ev, s));
}
