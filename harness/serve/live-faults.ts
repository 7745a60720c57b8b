/**
 * Faults injected while `ihasim serve` runs (control API `POST /faults`, `POST /faults/heal`). A fault is
 * written exactly as in a scenario file and goes through the scenario loader's own schema and normalization,
 * so its errors read the same; it is injected at the current sim time by the fault catalogue of sim/faults.
 */
import { IhasimError, type ErrorDetail } from '../errors.js';
import { readFaults } from '../scenario/faults.js';
import { Issues } from '../scenario/issues.js';
import { validateAgainstSchema } from '../scenario/schema-validate.js';
import type { RawFault } from '../scenario/raw-types.js';
import { FAULTS, UNDO } from '../../sim/faults/catalogue.js';
import { injectFault, undoInjectedFault } from '../../sim/faults/inject.js';
import { NETWORKS, type FaultSpec, type NetworkName } from '../../sim/scenario-spec.js';
import type { World } from '../../sim/world.js';

/** A fault the control API injected. */
export interface LiveFault {
  id: number;
  kind: FaultSpec['kind'];
  /** Resolved targets (the seeded choice for `{count: …}` targets). */
  targets: string[];
  network?: NetworkName;
  atMs: number;
  durationMs?: number;
  /** Partitions this fault created (a `network-partition`), for an undo by id. */
  partitionIds: number[];
  undoneAtMs: number | null;
}

/** What `POST /faults/heal` takes: nothing (heal every network), a network, or the id of a fault to undo. */
export interface HealRequest {
  network?: string;
  id?: number;
}

/** Headlines of the loader's error codes, worded for one fault rather than a scenario file. */
const SUMMARY: Partial<Record<string, string>> = {
  IHASIM_SCENARIO_SCHEMA: 'the fault does not match the scenario schema',
  IHASIM_SCENARIO_SEMANTIC: 'the fault is inconsistent',
  IHASIM_FAULT_TARGET: "the fault's target cannot be resolved",
};

const bad = (message: string, details: ErrorDetail[] = []): IhasimError => new IhasimError('IHASIM_USAGE', message, details);

/** Error details of the one-fault wrapper, with paths relative to the fault (`target`, not `faults[0].target`). */
function relativeDetails(err: IhasimError): ErrorDetail[] {
  return err.details.map(({ file: _f, line: _l, column: _c, ...d }) => ({ ...d, ...(d.path ? { path: d.path.replace(/^faults\[0\]\.?/, '') || '(fault)' } : {}) }));
}

/** A heal of whole networks (`POST /faults/heal` without an id), for the replay scenario. */
export interface NetworkHeal {
  atMs: number;
  network?: NetworkName;
}

export class LiveFaults {
  readonly injected: LiveFault[] = [];
  /** Network heals in order, for the replay scenario (replay.ts). */
  readonly networkHeals: NetworkHeal[] = [];
  /** The fault of each id as it was posted (scenario form, without `at`), for the replay scenario. */
  private readonly posted = new Map<number, Readonly<Record<string, unknown>>>();
  /** The parsed spec of each injected fault: its holds are keyed on it (sim/faults/inject.ts `undoInjectedFault`). */
  private readonly specs = new Map<number, FaultSpec>();
  /** Sim time of the last inject or undo (liveness is judged only once it has settled). */
  lastChangeAtMs = -Infinity;

  constructor(private readonly world: World) {}

  /**
   * Parse one fault in scenario form (`{kind: host-power-loss, target: compute-03}`) into a `FaultSpec`.
   * Throws `IHASIM_USAGE` with one detail per problem (unknown kind, unknown target, wrong keys).
   */
  parse(body: unknown): FaultSpec {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw bad('the body must be one fault as a JSON object, e.g. {"kind": "host-power-loss", "target": "compute-01"}');
    const raw = { ...(body as Record<string, unknown>) };
    if (raw['at'] !== undefined) throw bad('`at` does not apply: the control API injects a fault now (give `duration` to undo it later)');
    raw['at'] = 0;
    const issues = new Issues({ locate: () => ({}) });
    // The whole-scenario schema fills the fault's defaults and words its errors; the wrapper itself is valid.
    const doc = { ihasim: 1, name: 'serve', duration: 1, faults: [raw] };
    if (validateAgainstSchema(doc, issues)) {
      const targets = { computes: this.world.spec.topology.computes, controllers: [...this.world.controllers.keys()], servers: this.world.spec.servers.map((s) => s.name) };
      const [spec] = readFaults(doc.faults as unknown as RawFault[], Infinity, targets, issues);
      if (issues.count === 0 && spec) return { ...spec, atMs: this.world.kernel.now };
    }
    try {
      issues.throwIfAny();
    } catch (err) {
      if (err instanceof IhasimError) throw new IhasimError(err.code, `${SUMMARY[err.code] ?? 'the fault is invalid'} (${err.message.replace(/^.*\(/, '')}`, relativeDetails(err));
      throw err;
    }
    throw bad('the fault could not be read');
  }

  /** The fault `id` as it was posted (scenario form), if the caller gave it to {@link inject}. */
  postedForm(id: number): Readonly<Record<string, unknown>> | undefined {
    return this.posted.get(id);
  }

  /** Inject a parsed fault now; `posted` is the body it was parsed from (kept for the replay scenario). */
  inject(spec: FaultSpec, posted?: unknown): LiveFault {
    const before = new Set(this.world.nets.active().map((p) => p.id));
    const targets = injectFault(this.world, spec);
    const partitionIds = this.world.nets.active().map((p) => p.id).filter((id) => !before.has(id));
    const fault: LiveFault = {
      id: this.injected.length + 1, kind: spec.kind, targets, atMs: this.world.kernel.now, partitionIds, undoneAtMs: null,
      ...(spec.network ? { network: spec.network } : {}), ...(spec.durationMs !== undefined ? { durationMs: spec.durationMs } : {}),
    };
    this.injected.push(fault);
    this.specs.set(fault.id, spec);
    if (posted !== null && typeof posted === 'object' && !Array.isArray(posted)) this.posted.set(fault.id, structuredClone(posted as Record<string, unknown>));
    this.lastChangeAtMs = this.world.kernel.now + (spec.durationMs ?? 0);
    return fault;
  }

  /** Heal every network, one network, or undo one injected fault by id. */
  heal(request: HealRequest): { healed: string; fault?: LiveFault } {
    if (request.id !== undefined) {
      const fault = this.injected.find((f) => f.id === request.id);
      if (!fault) throw bad(`no injected fault has id ${request.id} (ids 1..${this.injected.length})`);
      this.undo(fault);
      return { healed: `fault ${fault.id} (${fault.kind})`, fault };
    }
    if (request.network !== undefined && !(NETWORKS as readonly string[]).includes(request.network)) {
      throw bad(`unknown network \`${request.network}\``, [{ path: 'network', message: 'unknown network', expected: `one of ${NETWORKS.join(', ')}`, found: request.network }]);
    }
    const network = request.network as NetworkName | undefined;
    FAULTS['network-heal'](this.world, { atMs: this.world.kernel.now, kind: 'network-heal', ...(network ? { network } : {}) }, []);
    this.networkHeals.push({ atMs: this.world.kernel.now, ...(network ? { network } : {}) });
    this.lastChangeAtMs = this.world.kernel.now;
    return { healed: network ?? 'all networks' };
  }

  /** Undo a fault as its `duration` would have. */
  private undo(fault: LiveFault): void {
    if (fault.undoneAtMs !== null) throw bad(`fault ${fault.id} (${fault.kind}) was already undone`);
    const w = this.world;
    const undo = UNDO[fault.kind];
    if (fault.kind !== 'network-partition' && undo === undefined) throw bad(`${fault.kind} has no undo; inject its opposite instead`);
    if (fault.kind === 'network-partition') {
      w.emit('fault.undo', fault.kind, { targets: fault.targets });
      for (const id of fault.partitionIds) w.nets.heal({ id });
      w.topologyChanged();
    } else {
      // Through the fault's holds: a target another fault still holds stays faulty (sim/faults/inject.ts).
      if (!undoInjectedFault(w, this.specs.get(fault.id)!)) throw bad(`fault ${fault.id} (${fault.kind}) was already undone: its duration ran out`);
    }
    fault.undoneAtMs = w.kernel.now;
    this.lastChangeAtMs = w.kernel.now;
  }

  /** Injected faults by kind (for /metrics). */
  countsByKind(): Map<string, number> {
    const out = new Map<string, number>();
    for (const f of this.injected) out.set(f.kind, (out.get(f.kind) ?? 0) + 1);
    return out;
  }
}
