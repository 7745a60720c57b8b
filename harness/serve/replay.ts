/**
 * The replay scenario of a served run: the served scenario file with the faults injected through the control
 * API appended at the sim times they were injected (with their durations and heals), and its seed set to the
 * run's, so that `ihasim run <file>` replays what the faults did. What the format cannot express (Nova API
 * writes, BMC power actions made by outside agents) is listed as comments and in `notReplayable`.
 */
import { readFile } from 'node:fs/promises';
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { writeFileAtomic } from '../../reports/write.js';
import { IhasimError } from '../errors.js';
import { formatDuration } from '../scenario/duration.js';
import type { LiveFault } from './live-faults.js';
import type { ServeSession } from './serve-session.js';

export interface ReplayScenario {
  /** The scenario YAML. */
  yaml: string;
  /** One sentence per part of the served run that `ihasim run` will not replay (empty: a faithful replay). */
  notReplayable: string[];
}

/** Kinds whose effect `duration` undoes: a heal by id becomes the fault's duration. */
const UNDOABLE_BY_DURATION = new Set(['host-power-loss', 'host-hang', 'nic-down', 'nova-compute-crash', 'controller-failure',
  'bmc-unreachable', 'bmc-broken', 'bmc-slow', 'storage-outage', 'network-partition']);

/** A live fault in scenario form, at its sim time, with its targets as resolved when it was injected. */
function faultEntry(fault: LiveFault, posted: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const entry: Record<string, unknown> = { at: formatDuration(fault.atMs), ...(posted ?? { kind: fault.kind }) };
  // `{count: …}` targets were drawn from the live world's RNG: name the hosts it drew, so the replay needs no draw.
  if (entry['target'] !== undefined && fault.targets.length > 0) entry['target'] = fault.targets.length === 1 ? fault.targets[0] : [...fault.targets];
  if (fault.undoneAtMs !== null && UNDOABLE_BY_DURATION.has(fault.kind)) {
    const healedAfter = fault.undoneAtMs - fault.atMs;
    const given = typeof fault.durationMs === 'number' ? fault.durationMs : Infinity;
    if (healedAfter < given) entry['duration'] = formatDuration(healedAfter);
  }
  return entry;
}

/** The client actions as comment lines (bounded by the action log). */
function actionComments(session: ServeSession): string[] {
  const log = session.actions;
  const lines = log.actions.map((a) => ` at ${formatDuration(a.atMs)} (${a.atMs} ms) via ${a.via}: ${a.what}`);
  if (log.dropped > 0) lines.push(` … and ${log.dropped} more, not kept`);
  return lines;
}

/** Why parts of the run are not replayable, one sentence each. */
function notReplayableParts(session: ServeSession, stoppedAtMs: number): string[] {
  const parts: string[] = [];
  const byVia = (via: string): number => session.actions.actions.filter((a) => a.via === via).length;
  const api = byVia('openstack');
  const bmc = byVia('ipmi') + byVia('redfish');
  if (api > 0) {
    parts.push(`${api} Nova/Keystone API write(s) (evacuate, service force-down/enable/disable, …) are not replayed: the scenario format has faults only, and \`ihasim run\` with recovery.policy ${session.spec.recovery.policy} does not repeat them; they are listed as comments in the file`);
  }
  if (bmc > 0) {
    parts.push(`${bmc} BMC power action(s) through IPMI/Redfish (fence agents) are not replayed, for the same reason; listed as comments`);
  }
  if (session.actions.dropped > 0) parts.push(`${session.actions.dropped} further client action(s) were not kept`);
  if (session.faults.injected.length > 0 && (api > 0 || bmc > 0)) {
    parts.push('the sim times of client requests depended on --speed and on when the clients acted, so the order of faults and client actions is exact only as recorded, not reproducible by the clients');
  }
  if (stoppedAtMs < session.spec.durationMs) {
    parts.push(`the served run was stopped at sim ${stoppedAtMs} ms; \`ihasim run\` goes on to the scenario's duration (${formatDuration(session.spec.durationMs)}), so its report covers more time`);
  }
  return parts;
}

function appendFaults(doc: Document, entries: Record<string, unknown>[]): void {
  const existing = doc.get('faults');
  if (!isSeq(existing)) {
    doc.set('faults', doc.createNode(entries, { flow: false }));
    return;
  }
  for (const e of entries) {
    const node = doc.createNode(e);
    if (isMap(node)) node.flow = true;
    existing.add(node);
  }
}

/** Build the replay scenario from the served scenario file (`session.spec.file`) and the session's record. */
export async function buildReplayScenario(session: ServeSession): Promise<ReplayScenario> {
  const file = session.spec.file;
  if (!file) throw new IhasimError('IHASIM_USAGE', 'the served scenario has no file to base a replay scenario on');
  const doc = parseDocument(await readFile(file, 'utf8'));
  const stoppedAtMs = session.world.kernel.now;
  const faults = session.faults.injected.map((f) => ({ atMs: f.atMs, entry: faultEntry(f, session.faults.postedForm(f.id)) }));
  const heals = session.faults.networkHeals.map((h) => ({ atMs: h.atMs, entry: { at: formatDuration(h.atMs), kind: 'network-heal', ...(h.network ? { network: h.network } : {}) } as Record<string, unknown> }));
  // Stable sort: a fault and a heal at the same sim ms keep the order they were made in only per list; faults first.
  const entries = [...faults, ...heals].sort((a, b) => a.atMs - b.atMs).map((x) => x.entry);
  if (entries.length > 0) appendFaults(doc, entries);
  doc.set('seed', session.seed);
  const notReplayable = notReplayableParts(session, stoppedAtMs);
  const header = [
    ` Replay of an \`ihasim serve\` run of ${session.spec.name} (seed ${session.seed}, speed ${session.driver.speed}x, stopped at sim ${stoppedAtMs} ms).`,
    ` The faults injected through the control API are appended to faults: at the sim times they were injected.`,
    ...(notReplayable.length === 0 ? [' Faithful: the same faults at the same sim times with the same seed.'] : [' NOT replayed:', ...notReplayable.map((p) => `  - ${p}`)]),
    ...(session.actions.total > 0 ? [' Client actions during the served run (not replayed):', ...actionComments(session)] : []),
  ];
  doc.commentBefore = [header.join('\n'), doc.commentBefore].filter(Boolean).join('\n');
  return { yaml: doc.toString({ lineWidth: 160 }), notReplayable };
}

/** Write the replay scenario to `path`; returns what could not be replayed. */
export async function writeReplayScenario(session: ServeSession, path: string): Promise<ReplayScenario> {
  const replay = await buildReplayScenario(session);
  await writeFileAtomic(path, replay.yaml);
  return replay;
}
