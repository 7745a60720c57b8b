import type { ComputeHost } from '../infra/compute-host.js';
import type { Instance } from '../instance.js';

/** What the scheduler needs to know about Nova's view of hosts (not the truth). */
export interface SchedulerView {
  now(): number;
  serviceUsable(host: ComputeHost): boolean;
  /** Hosts (Nova's view) of the other members of the instance's server group. */
  groupHosts(instance: Instance): { policy: string; hosts: Set<string> } | null;
  aggregateMetadata(host: ComputeHost): readonly Record<string, string>[];
}

interface Entry {
  host: ComputeHost;
  freeRamMb: number;
  version: number;
}

const AGG_PREFIX = 'aggregate_instance_extra_specs:';

const scoped = new WeakMap<Record<string, string>, [string, string][]>();

/** The flavor's `aggregate_instance_extra_specs:` keys (unscoped), memoized per flavor: the filter runs per candidate. */
function scopedSpecs(specs: Record<string, string>): [string, string][] {
  let list = scoped.get(specs);
  if (!list) {
    list = Object.entries(specs).filter(([k]) => k.startsWith(AGG_PREFIX)).map(([k, v]) => [k.slice(AGG_PREFIX.length), v]);
    scoped.set(specs, list);
  }
  return list;
}

/**
 * Nova's filter scheduler, reduced to what decides placement in instance HA: ComputeFilter (service up and
 * enabled), AvailabilityZoneFilter, RAM/CPU/Disk capacity with allocation ratios, AggregateInstanceExtraSpecsFilter
 * (scoped `aggregate_instance_extra_specs:` keys only), ServerGroup(Anti)AffinityFilter; weighed by free RAM
 * (spread). Hosts sit in a lazy max-heap by free RAM so a pick costs O(log n) in the common case, not O(hosts).
 */
export class Scheduler {
  private heap: Entry[] = [];
  /** select's scratch list of the hosts it popped and puts back (select is called per evacuation; it never nests). */
  private readonly skipped: Entry[] = [];
  /**
   * Each host's current entry version, by `host.index` (0 for a host never touched): read for every entry popped,
   * where a Map lookup per pop was most of a pick's cost.
   */
  private readonly versions: number[] = [];
  /** Hosts touched so far (how many live entries the heap can hold). */
  private hostsTouched = 0;

  constructor(private readonly view: SchedulerView) {}

  /** Tell the scheduler a host's free RAM changed (claim or release). */
  touch(host: ComputeHost): void {
    const version = this.versionOf(host) + 1;
    if (version === 1) this.hostsTouched++;
    this.versions[host.index] = version;
    this.push({ host, freeRamMb: host.freeRamMb(), version });
    if (this.heap.length > 4 * this.hostsTouched + 64) this.compact();
  }

  private versionOf(host: ComputeHost): number {
    return this.versions[host.index] ?? 0;
  }

  /** Drop stale entries so the heap stays O(hosts) however many claims were made. */
  private compact(): void {
    const live = this.heap.filter((e) => this.versionOf(e.host) === e.version);
    this.heap = [];
    for (const e of live) this.push(e);
  }

  /**
   * The best host for `instance`, or null (NoValidHost). Claims nothing. Hosts whose service is unusable
   * (down or disabled) leave the heap until `touch` brings them back, so a thousand dead hosts are skipped once,
   * not on every pick.
   */
  select(instance: Instance, exclude: ComputeHost | null): ComputeHost | null {
    // Written by index, never truncated: `length = 0` would drop the scratch list's storage on every call.
    const skipped = this.skipped;
    let nSkipped = 0;
    let chosen: ComputeHost | null = null;
    while (this.heap.length > 0) {
      const top = this.pop()!;
      if (this.versionOf(top.host) !== top.version) continue;
      if (!this.view.serviceUsable(top.host)) {
        this.versions[top.host.index] = top.version + 1;
        continue;
      }
      skipped[nSkipped++] = top;
      if (top.host !== exclude && this.passes(top.host, instance)) {
        chosen = top.host;
        break;
      }
    }
    for (let i = 0; i < nSkipped; i++) this.push(skipped[i]!);
    return chosen;
  }

  /** Would `host` pass every filter for `instance` (evacuate to a named host without `force`)? */
  accepts(host: ComputeHost, instance: Instance): boolean {
    return this.view.serviceUsable(host) && this.passes(host, instance);
  }

  private passes(host: ComputeHost, instance: Instance): boolean {
    const az = instance.nova.requestedAz;
    if (az !== null && host.spec.az !== az) return false;
    if (!host.fits(instance)) return false;
    return this.aggregatesMatch(host, instance) && this.groupAllows(host, instance);
  }

  private aggregatesMatch(host: ComputeHost, instance: Instance): boolean {
    for (const [k, value] of scopedSpecs(instance.flavor.extraSpecs)) {
      if (!this.view.aggregateMetadata(host).some((md) => md[k] === value)) return false;
    }
    return true;
  }

  private groupAllows(host: ComputeHost, instance: Instance): boolean {
    const group = this.view.groupHosts(instance);
    if (!group) return true;
    if (group.policy === 'anti-affinity') return !group.hosts.has(host.name);
    if (group.policy === 'affinity') return group.hosts.size === 0 || group.hosts.has(host.name);
    return true;
  }

  private higher(a: Entry, b: Entry): boolean {
    return a.freeRamMb > b.freeRamMb || (a.freeRamMb === b.freeRamMb && a.host.index < b.host.index);
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.higher(e, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = e;
  }

  private pop(): Entry | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (!top || !last || h.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && this.higher(h[r]!, h[l]!) ? r : l;
      if (!this.higher(h[c]!, last)) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
    return top;
  }
}
