import type { ComputeHost } from '../../../sim/infra/compute-host.js';
import type { Instance } from '../../../sim/instance.js';
import type { Probe } from '../../../sim/probe.js';
import type { FaultSpec } from '../../../sim/scenario-spec.js';
import type { World } from '../../../sim/world.js';
import type { Violation } from '../../../reports/report-types.js';
import { StandingMemo } from '../../checkers/truth.js';
import { HistoryJudge } from '../judge.js';
import type { ControllerStanding, HeaderObservation, Observation, RecoveryActionObservation } from '../observation.js';
import { scenarioEligibility, simHeader } from './sim-header.js';

export interface SimHistoryOptions {
  /** Keep every observation (for `run --history`); off, observations only feed the judge. */
  record?: boolean;
  seed?: number;
}

/**
 * The simulator's side of a history: the world's probe, turning what changes in the truth into observations, which
 * it feeds to the judge (harness/history/judge.ts) at the instant they happen, so a safety violation is marked in the
 * trace where it occurs. It reads the world; the checkers read only its observations. Observations nobody judges
 * are not built unless the history is recorded, so a multi-seed run stays cheap.
 */
export class SimHistory implements Probe {
  /** Safety violations found so far, in the order found. */
  readonly violations: Violation[] = [];
  /** Every observation, when recording. */
  readonly recorded: Observation[] | null;
  private world: World | null = null;
  private judge: HistoryJudge | null = null;
  /** Observations made while the world was being built (before `attach`): judged at attach, unmarked in the trace. */
  private pending: Observation[] | null = [];
  private readonly lastExecuting = new Map<Instance, string>();
  private readonly lastWriters = new Map<Instance, string>();
  private readonly lastServing = new Map<Instance, boolean>();
  private readonly lastPower = new Map<ComputeHost, 'on' | 'off'>();
  private readonly standing = new Map<string, ControllerStanding>();
  private standings: StandingMemo | null = null;
  private readonly faultIds = new WeakMap<FaultSpec, string>();
  private faultCount = 0;
  private readonly seed: number | undefined;

  constructor(private readonly judged: ReadonlySet<string>, options: SimHistoryOptions = {}) {
    this.recorded = options.record ? [] : null;
    this.seed = options.seed;
  }

  attach(world: World): void {
    this.world = world;
    this.standings = new StandingMemo(world);
    const header = simHeader(world, this.judged, this.seed);
    this.judge = new HistoryJudge(header);
    this.recorded?.push(header);
    const early = this.pending ?? [];
    this.pending = null;
    for (const o of early) this.add(o, false);
  }

  get header(): HeaderObservation | null {
    return this.judge?.header ?? null;
  }

  /** The judge, once attached. */
  get judgeOf(): HistoryJudge {
    return this.judge!;
  }

  private reads(kind: Observation['kind']): boolean {
    return this.recorded !== null || this.judge === null || this.judge.reads(kind);
  }

  /** Record and judge one observation; a safety violation found is marked in the trace (`violation`). */
  add(o: Observation, mark = true): void {
    if (this.pending) { this.pending.push(o); return; }
    this.recorded?.push(o);
    const found = this.judge!.step(o);
    if (!found) return;
    for (const v of found) {
      this.violations.push(v);
      if (mark && v.kind === 'safety') this.world!.emit('violation', v.entities[0] ?? v.invariant, { invariant: v.invariant, message: v.message });
    }
  }

  instanceTruthChanged(inst: Instance, now: number): void {
    if (this.recorded) this.serving(inst, now);
    const multi = inst.domains.length >= 2;
    if (!multi && (this.lastExecuting.size === 0 || !this.lastExecuting.has(inst)) && (this.lastWriters.size === 0 || !this.lastWriters.has(inst))) return;
    const executing = inst.domains.filter((d) => d.executing).map((d) => d.host.name);
    if (this.changed(this.lastExecuting, inst, executing, multi)) {
      this.add({ t: now, source: 'truth', kind: 'executing', instance: inst.name, hosts: executing });
    }
    const world = this.world;
    if (!world || !this.reads('writers')) return;
    const writers = inst.writers((h) => world.storageReachable(h)).map((d) => d.host.name);
    if (this.changed(this.lastWriters, inst, writers, multi)) {
      this.add({ t: now, source: 'truth', kind: 'writers', instance: inst.name, storage: inst.spec.storage, hosts: writers });
    }
  }

  /** Whether `hosts` differs from the last written for `inst`; remembered only while it has several domains. */
  private changed(last: Map<Instance, string>, inst: Instance, hosts: string[], multi: boolean): boolean {
    const key = hosts.join(',');
    const before = last.get(inst);
    if (multi) last.set(inst, key);
    else last.delete(inst);
    return key !== (before ?? (hosts.length === 1 ? key : ''));
  }

  private serving(inst: Instance, now: number): void {
    const serving = inst.wasServing;
    if ((this.lastServing.get(inst) ?? !inst.neverPlaced) === serving) return;
    this.lastServing.set(inst, serving);
    this.add({ t: now, source: 'truth', kind: 'serving', instance: inst.name, serving,
      ...(serving ? {} : { cause: inst.milestones.outageCause ?? undefined }), ...(inst.nova.host ? { host: inst.nova.host } : {}) });
  }

  evacuationAccepted(inst: Instance, source: ComputeHost, now: number): void {
    this.add({
      t: now, source: 'nova', kind: 'evacuation', instance: inst.name, fromHost: source.name,
      truth: { fenceConfirmedAtMs: source.fenceConfirmedAtMs, poweredOffAtMs: source.poweredOffAtMs, startedOnSourceAtMs: inst.startedOn(source.name) ?? null },
    });
  }

  claimed(host: ComputeHost, inst: Instance, now: number): void {
    // A claim within the ratios tells the simulator's judge nothing: recorded only when the history is kept.
    if (!this.reads('claim') || (!this.recorded && !host.overcommitted())) return;
    this.add({ t: now, source: 'truth', kind: 'claim', host: host.name, instance: inst.name, overcommitted: host.overcommitted() });
  }

  recoveryAction(action: 'fence' | 'evacuate', target: string, controller: string | null, now: number): void {
    const standings = this.standings;
    if (!standings || !this.reads('recovery-action')) return;
    const o: RecoveryActionObservation = { t: now, source: 'truth', kind: 'recovery-action', action, target, controller };
    if (controller !== null) o.standing = standings.of(controller);
    this.add(o);
    if (action === 'fence' && this.recorded) this.add({ t: now, source: 'truth', kind: 'fence', phase: 'start', host: target, by: controller });
  }

  topologyChanged(now: number): void {
    const world = this.world;
    if (!world || !this.reads('membership')) return;
    for (const c of world.controllers.keys()) {
      const standing = this.standings!.of(c);
      if (this.standing.get(c) === standing) continue;
      this.standing.set(c, standing);
      this.add({ t: now, source: 'truth', kind: 'membership', controller: c, standing });
    }
  }

  domainChanged(inst: Instance, host: ComputeHost, phase: 'started' | 'stopped', startedAtMs: number, now: number): void {
    if (!this.recorded) return;
    this.add({ t: now, source: 'truth', kind: 'domain', phase, instance: inst.name, host: host.name, bootId: `${inst.uuid}@${host.name}@${startedAtMs}` });
  }

  hostStateChanged(host: ComputeHost, now: number): void {
    if (!this.recorded) return;
    const state = host.state === 'off' ? 'off' : 'on';
    if ((this.lastPower.get(host) ?? 'on') === state) return;
    this.lastPower.set(host, state);
    this.add({ t: now, source: 'truth', kind: 'power', host: host.name, state });
  }

  faultChanged(fault: FaultSpec, phase: 'injected' | 'healed', targets: readonly string[], now: number): void {
    if (!this.recorded) return;
    let id = this.faultIds.get(fault);
    if (!id) this.faultIds.set(fault, (id = `f${++this.faultCount}`));
    this.add({ t: now, source: 'harness', kind: 'fault', phase, id, fault: fault.kind, targets: [...targets] });
  }

  /**
   * Drop the judge and all it keeps (its checkers and the observations they hold), for a runner that drops the run
   * once reported (see runSeedReport). The world keeps its probe, and a finished world can outlive its run (see
   * disposeWorld): without this, every seed's checkers were copied and promoted by the minor GCs. The history must
   * not be judged afterwards.
   */
  dispose(): void {
    this.judge = null;
  }

  /** Whether the scenario opts the instance in (judged from the scenario, not the recovery logic). */
  isEligible(inst: Instance): boolean {
    return scenarioEligibility(this.world!.spec, this.world!.designDefinition.capabilities.honoursOptIn)(inst.spec);
  }
}
