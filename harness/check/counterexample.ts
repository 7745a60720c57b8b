import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import { formatDuration } from '../scenario/duration.js';
import { writeFileAtomic } from '../../reports/write.js';
import { scheduleScenario } from './run-schedule.js';
import { describeFault, toFaultSpec, type GeneratedFault } from './schedule.js';
import type { Counterexample } from './check-scenario.js';

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
export async function writeCounterexampleScenario(spec: ScenarioSpec, cx: Counterexample, path: string): Promise<void> {
  const doc = parseDocument(await readFile(spec.file!, 'utf8'));
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
  await writeFileAtomic(path, doc.toString({ lineWidth: 120 }), { flag: '--out' });
}
