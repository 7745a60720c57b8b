import type { ComputeHost } from '../../sim/infra/compute-host.js';
import type { Instance } from '../../sim/instance.js';
import type { Probe } from '../../sim/probe.js';
import type { World } from '../../sim/world.js';
import type { Violation } from '../../reports/report-types.js';
import { instancePredicate } from '../../sim/recovery/instance-filter.js';
import { formatMs } from '../../reports/format-duration.js';

/**
 * The safety invariants of DOMAIN.md §8, judged on the truth at the instant it changes. One violation is
 * recorded per (invariant, entity) — the first instant it happened — so a long double run is one finding.
 */
export class SafetyChecker implements Probe {
  readonly violations: Violation[] = [];
  private readonly seen = new Set<string>();
  private world: World | null = null;
  private eligible: ((r: Instance['nova']) => boolean) | null = null;

  constructor(private readonly judged: ReadonlySet<string>) {}

  attach(world: World): void {
    this.world = world;
  }

  private record(invariant: string, key: string, atMs: number, entities: string[], message: string): void {
    if (!this.judged.has(invariant) || this.seen.has(`${invariant}:${key}`)) return;
    this.seen.add(`${invariant}:${key}`);
    this.violations.push({ invariant, kind: 'safety', atMs, entities, message });
    this.world?.emit('violation', entities[0] ?? invariant, { invariant, message });
  }

  instanceTruthChanged(inst: Instance, now: number): void {
    if (inst.domains.length < 2) return;
    const executing = inst.domains.filter((d) => d.executing);
    if (executing.length > 1) {
      const hosts = executing.map((d) => d.host.name);
      this.record('no-double-run', inst.name, now, [inst.name, ...hosts],
        `${inst.name} executes on ${hosts.join(' and ')} at once (t=${formatMs(now)})`);
    }
    const world = this.world;
    if (!world) return;
    const writers = inst.writers((h) => world.storageReachable(h));
    if (writers.length > 1) {
      const hosts = writers.map((d) => d.host.name);
      this.record('no-split-writes', inst.name, now, [inst.name, ...hosts],
        `${inst.spec.storage} disk of ${inst.name} has ${writers.length} writers: ${hosts.join(', ')}`);
    }
  }

  evacuationAccepted(inst: Instance, source: ComputeHost, now: number): void {
    const fence = source.fenceConfirmedAtMs;
    const off = source.poweredOffAtMs;
    const started = inst.startedOn(source.name) ?? 0;
    // Confirmed by a fence device *and* true: a device that says OK without powering off does not count.
    if (fence === null || fence < started || off === null || off < started) {
      this.record('fence-before-evacuate', `${inst.name}@${now}`, now, [inst.name, source.name],
        `evacuation of ${inst.name} from ${source.name} accepted before ${source.name} was confirmed powered off`);
    }
    if (!this.isEligible(inst)) {
      this.record('opt-in-respected', inst.name, now, [inst.name],
        `${inst.name} was evacuated although the policy's filter (${describeFilter(this.world!)}) excludes it`);
    }
  }

  claimed(host: ComputeHost, inst: Instance, now: number): void {
    if (host.overcommitted()) {
      this.record('capacity-respected', host.name, now, [host.name, inst.name],
        `${host.name} exceeds its allocation ratios after placing ${inst.name}`);
    }
  }

  recoveryAction(action: 'fence' | 'force-down' | 'evacuate', target: string, controller: string | null, now: number): void {
    if (controller === null || !this.world || this.world.pacemaker.quorate(controller)) return;
    this.record('quorum-respected', `${controller}:${action}:${target}`, now, [controller, target],
      `${controller} initiated ${action} of ${target} from a partition without quorum`);
  }

  /** Opt-in set of the policy's filter, computed once from the catalog (flavors, images, tags, metadata). */
  isEligible(inst: Instance): boolean {
    const world = this.world!;
    if (world.spec.recovery.policy === 'external') return true;
    this.eligible ??= eligibility(world);
    return this.eligible(inst.nova);
  }
}

/** The policy's filter as a per-instance test, built once per scenario from its catalog (flavors, images). */
const predicates = new WeakMap<object, (r: Instance['nova']) => boolean>();

function eligibility(world: World): (r: Instance['nova']) => boolean {
  let p = predicates.get(world.spec);
  if (!p) predicates.set(world.spec, (p = instancePredicate(world.spec.recovery.instanceFilter, world.nova.flavors(), world.nova.images())));
  return p;
}

export function describeFilter(world: World): string {
  const f = world.spec.recovery.instanceFilter;
  return f.kind === 'tag' ? `tag:${f.tag}` : f.kind === 'metadata' ? `metadata:${f.key}` : f.kind;
}
