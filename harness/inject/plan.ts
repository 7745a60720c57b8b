/**
 * The campaign as a list of actions: each fault on each target, with when it goes in, when it is undone, the step
 * that injects it and the step that undoes it. The dry run prints exactly this; the executed run does exactly this.
 */
import { formatDuration } from '../scenario/duration.js';
import { scheduleEndMs, type Campaign, type PlannedFault } from './campaign.js';
import { FAULT_KINDS_LIVE, fillTemplate, type CommandTemplate } from './fault-catalog.js';
import { describeStep, type Step } from './steps.js';

export interface Action {
  id: string;
  kind: string;
  target: string;
  atMs: number;
  /** null: nothing to undo (guest-panic). */
  undoAtMs: number | null;
  do: Step;
  undo: Step | null;
}

function sshSteps(c: Campaign, f: PlannedFault): { do: Step; undo: Step | null } {
  const host = c.hosts.get(f.host!)!;
  const info = FAULT_KINDS_LIVE[f.kind];
  const t: CommandTemplate = host.commands[f.kind] ?? info.commands!;
  const iface = f.network ? host.interfaces[f.network] : '';
  const values = { iface, network: f.network ?? '', host: host.name };
  const fill = (cmds: string[]) => cmds.map((x) => fillTemplate(x, values));
  const doStep: Step = { channel: 'ssh', host: host.name, commands: fill(t.do), ...(info.dropsSession ? { dropsSession: true } : {}) };
  if (f.kind === 'host-kernel-panic') return { do: doStep, undo: { channel: 'panic-recover', host: host.name } };
  if (!t.undo) return { do: doStep, undo: null };
  const verify = t.verify ? fillTemplate(t.verify, values) : undefined;
  return {
    do: doStep,
    undo: { channel: 'ssh', host: host.name, commands: fill(t.undo), ...(verify ? { verify } : {}), ...(info.verifyRule ? { verifyRule: info.verifyRule } : {}), ...(iface ? { iface } : {}) },
  };
}

function steps(c: Campaign, f: PlannedFault): { do: Step; undo: Step | null } {
  switch (FAULT_KINDS_LIVE[f.kind].channel) {
    case 'bmc': return { do: { channel: 'bmc', host: f.host!, change: 'off' }, undo: { channel: 'bmc', host: f.host!, change: 'on' } };
    case 'nova': return { do: { channel: 'nova', server: f.server! }, undo: null };
    case 'ssh': return sshSteps(c, f);
  }
}

/** Every action, in the order they start. */
export function planActions(c: Campaign): Action[] {
  const end = scheduleEndMs(c);
  return c.faults.map((f) => {
    const s = steps(c, f);
    const undoAtMs = s.undo === null ? null : f.durationMs !== null ? f.atMs + f.durationMs : Math.max(end, f.atMs);
    return { id: f.id, kind: f.kind, target: f.host ?? f.server!, atMs: f.atMs, undoAtMs, do: s.do, undo: s.undo };
  });
}

/** The dry run's listing: one block per action. */
export function renderPlan(actions: readonly Action[]): string {
  const lines: string[] = [];
  for (const a of actions) {
    lines.push(`+${formatDuration(a.atMs).padEnd(6)} ${a.kind} on ${a.target}   [${a.id}]`);
    lines.push(`        do:   ${describeStep(a.do)}`);
    lines.push(a.undo ? `        undo: at +${formatDuration(a.undoAtMs!)}: ${describeStep(a.undo)}` : '        undo: none (one-shot)');
  }
  return lines.join('\n');
}
