import { readFile } from 'node:fs/promises';
import { parseDocument, Scalar } from 'yaml';
import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import { formatDuration } from '../scenario/duration.js';
import { writeFileAtomic } from '../../reports/write.js';
import { scheduleScenario } from './run-schedule.js';
import { describeFault, toFaultSpec, type GeneratedFault } from './schedule.js';
import type { Counterexample } from './check-scenario.js';
import type { ScenarioProvenance } from '../../reports/report-types.js';
import { ihasimVersion, scenarioHash } from '../version.js';
import { parseScenario } from '../scenario/load.js';

/** What the written scenario records about the search that found it. */
export interface CounterexampleOrigin {
  /** `ihasim check --seed`: with `cx.path` it replays the search exactly. */
  checkSeed: number;
}

/** A generated fault in the scenario's YAML form (what a person would write in `faults:`). */
function faultYamlObject(f: GeneratedFault, spec: ScenarioSpec): Record<string, unknown> {
  const s = toFaultSpec(f, spec.check);
  const o: Record<string, unknown> = { at: formatDuration(s.atMs), kind: s.kind };
  if (s.target) o.target = s.target.text;
  if (s.network) o.network = s.network;
  if (s.groups) o.groups = s.groups;
  if (s.oneWay) o.oneWay = true;
  if (s.durationMs !== undefined) o.duration = formatDuration(s.durationMs);
  if (s.kdumpRebootMs !== undefined) o.kdumpReboot = formatDuration(s.kdumpRebootMs);
  if (s.latencyMs) o.latency = '30s';
  return o;
}

/**
 * A complete scenario that reproduces a counterexample with `ihasim run`: the original file with its faults
 * replaced by the shrunk schedule, its seed set to the run's, its duration and liveness rule those of the check.
 */
export async function writeCounterexampleScenario(spec: ScenarioSpec, cx: Counterexample, path: string, origin: CounterexampleOrigin): Promise<void> {
  const source = await readFile(spec.file!, 'utf8');
  const doc = parseDocument(source);
  const provenance = counterexampleProvenance(parseScenario(source, spec.file), cx, origin);
  doc.commentBefore = provenanceComment(spec, provenance) + (doc.commentBefore ? `\n${doc.commentBefore}` : '');
  const full = scheduleScenario(spec, cx.schedule);
  doc.set('name', `${spec.name}-counterexample`);
  doc.set('description', `Counterexample found by ihasim check on ${spec.name}: ${cx.schedule.map(describeFault).join('; ')}. ` +
    `Violations: ${[...new Set(cx.violations.map((v) => v.invariant))].join(', ')}.`);
  doc.set('seed', cx.simSeed);
  doc.set('duration', formatDuration(full.durationMs));
  doc.set('faults', doc.createNode(cx.schedule.map((f) => faultYamlObject(f, spec)), { flow: false }));
  doc.setIn(['expect', 'invariants'], 'all');
  doc.setIn(['expect', 'recoveryBound'], formatDuration(spec.check.recoveryBoundMs));
  doc.setIn(['expect', 'recoveryBoundFrom'], 'heal');
  doc.setIn(['expect', 'violations'], doc.createNode([]));
  // Machine-readable twin of the comment header: the loader accepts it and the simulation ignores it; `ihasim
  // run` warns when `provenance.ihasim` is not its own version.
  // The version quoted: one such as `1.0` would otherwise read back as a number.
  doc.set('provenance', doc.createNode({ ...provenance, ihasim: new Scalar(provenance.ihasim) }));
  (doc.getIn(['provenance', 'ihasim'], true) as Scalar).type = 'QUOTE_DOUBLE';
  await writeFileAtomic(path, doc.toString({ lineWidth: 120 }), { flag: '--out' });
}

/**
 * Who wrote the counterexample and from what: this ihasim version; the hash of the scenario file searched (as
 * `ihasim run` of that file reports it; a `--faults` flag is not in it, the replay line carries it); the search's
 * seed and path.
 */
export function counterexampleProvenance(file: ScenarioSpec, cx: Counterexample, origin: CounterexampleOrigin): ScenarioProvenance {
  return {
    ihasim: ihasimVersion(),
    scenarioHash: scenarioHash(file),
    seed: origin.checkSeed,
    path: cx.path,
  };
}

/** The comment header: the same facts as `provenance:`, for a person reading the file (lines of a YAML comment). */
function provenanceComment(spec: ScenarioSpec, p: ScenarioProvenance): string {
  return [
    ` Written by ihasim ${p.ihasim} (ihasim check --seed ${p.seed} --path ${p.path}) from ${spec.file ?? spec.name}`,
    ` scenario hash of that file (sha256 of its data, as reports record it): ${p.scenarioHash}`,
  ].join('\n');
}
