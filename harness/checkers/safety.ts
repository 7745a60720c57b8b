import type { ComputeHost } from '../../sim/infra/compute-host.js';
import type { Instance } from '../../sim/instance.js';
import type { Probe } from '../../sim/probe.js';
import type { World } from '../../sim/world.js';
import type { Violation } from '../../reports/report-types.js';
import { optedIn } from './eligibility.js';
import { controllerStanding } from './truth.js';
import type { ScenarioSpec, ServerSpec } from '../../sim/scenario-spec.js';
import { formatMs } from '../../reports/format-duration.js';

/**
 * The safety invariants (docs/model.md "Invariants"), judged on the truth at the instant it changes. One violation is
 * recorded per (invariant, entity) — the first instant it happened — so a long double run is one finding.
 */
export class SafetyChecker implements Probe {
  readonly violations: Violation[] = [];
  private readonly seen = new Set<string>();
  private world: World | null = null;
  private eligible: ((s: ServerSpec) => boolean) | null = null;
  /** When each controller found itself in a minority partition (truth), while it stays there. */
  private readonly minoritySince = new Map<string, number>();

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

  /**
   * Judged on the true membership (truth.ts), not on Pacemaker's agreed view, which lags. A controller that is
   * down must not act at all. One in a minority may finish what it cannot yet know is stale for as long as
   * corosync takes to notice (token + consensus = 2.2 × token timeout); a decision taken later is a violation.
   * Device actions and fence_compute's force-down are steps of a fencing operation and are judged at its start.
   */
  recoveryAction(action: 'fence' | 'evacuate', target: string, controller: string | null, now: number): void {
    if (controller === null || !this.world) return;
    const standing = controllerStanding(this.world, controller);
    if (standing === 'quorate') return;
    const since = this.minoritySince.get(controller) ?? now;
    if (standing === 'minority' && now - since <= this.membershipLagMs()) return;
    this.record('quorum-respected', `${controller}:${action}:${target}`, now, [controller, target],
      standing === 'down'
        ? `${controller} initiated ${action} of ${target} after it had failed`
        : `${controller} initiated ${action} of ${target} ${formatMs(now - since)} after its partition lost quorum`);
  }

  topologyChanged(now: number): void {
    const world = this.world;
    if (!world) return;
    for (const c of world.controllers.keys()) {
      if (controllerStanding(world, c) === 'minority') {
        if (!this.minoritySince.has(c)) this.minoritySince.set(c, now);
      } else this.minoritySince.delete(c);
    }
  }

  private membershipLagMs(): number {
    return Math.round(this.world!.config.pacemaker.tokenTimeoutMs * 2.2);
  }

  /** Whether the scenario opts the instance in (eligibility.ts: judged from the scenario, not the recovery logic). */
  isEligible(inst: Instance): boolean {
    this.eligible ??= scenarioEligibility(this.world!.spec, this.world!.designDefinition.capabilities.honoursOptIn);
    return this.eligible(inst.spec);
  }
}

/** Built once per scenario and shared by every seed of a multi-seed run. */
const predicates = new WeakMap<ScenarioSpec, (s: ServerSpec) => boolean>();

function scenarioEligibility(spec: ScenarioSpec, honoursOptIn: boolean): (s: ServerSpec) => boolean {
  let p = predicates.get(spec);
  if (!p) predicates.set(spec, (p = optedIn(spec, honoursOptIn)));
  return p;
}

export function describeFilter(world: World): string {
  const f = world.spec.recovery.instanceFilter;
  return f.kind === 'tag' ? `tag:${f.tag}` : f.kind === 'metadata' ? `metadata:${f.key}` : f.kind;
}
