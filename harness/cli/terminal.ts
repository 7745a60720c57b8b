import { formatMs } from '../../reports/format-duration.js';
import type { MultiRunReport, RunReport, TimelineEvent } from '../../reports/report-types.js';

/** Lines of the timeline shown on a terminal, after collapsing (the report and --trace have everything). */
const SHOWN = 40;

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** The human summary of one run: timeline, outcomes, metrics, verdict, and the replay command on failure. */
export function renderRun(r: RunReport, opts: { timeline: boolean }): string {
  const out: string[] = [`ihasim run ${r.scenario} (policy ${r.policy}, seed ${r.seed}, ${formatMs(r.durationMs)} simulated)`];
  if (opts.timeline && (r.events.length || r.violations.length)) out.push('', 'timeline:', ...timelineLines(r));
  out.push('', ...outcomeLines(r), '', ...outageLines(r), ...metricLines(r));
  for (const v of r.violations) out.push(`VIOLATION ${v.invariant} at ${formatMs(v.atMs)}: ${v.message}`);
  for (const e of r.expectedViolations) out.push(`expected violation ${e.name}: ${e.found ? 'found' : 'NOT FOUND'}`);
  // Not judged is not passed: shown apart from violations so no one reads it as either.
  for (const u of r.unknown ?? []) out.push(`UNKNOWN ${u.invariant}: ${u.why}`);
  out.push('', `verdict: ${r.verdict.toUpperCase()} (exit ${r.exitCode})`);
  if (r.verdict === 'fail') out.push(`replay: ${r.replay}`);
  return out.join('\n');
}

function outcomeLines(r: RunReport): string[] {
  const counts = new Map<string, number>();
  for (const o of r.instances) {
    const key = o.reason ? `${o.outcome} (${o.reason})` : o.outcome;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const unaffected = r.metrics.instancesTotal - r.instances.filter((o) => o.outcome !== 'unaffected').length;
  if (unaffected > 0) counts.set('unaffected', unaffected);
  return ['instances: ' + [...counts].map(([k, n]) => `${n} ${k}`).join(', ')];
}

/** Users' view: how many instances they lost, for how long, and why (recovered or not, whatever the cause). */
function outageLines(r: RunReport): string[] {
  const down = r.instances.filter((o) => o.outageMs !== null).sort((a, b) => a.outageMs! - b.outageMs!);
  if (down.length === 0) return [];
  const causes = new Map<string, number>();
  for (const o of down) causes.set(o.outageCause ?? '?', (causes.get(o.outageCause ?? '?') ?? 0) + 1);
  const p50 = down[Math.ceil(down.length / 2) - 1]!.outageMs;
  const byCause = [...causes].map(([c, n]) => `${c} ${n}`).join(', ');
  return [`outage: ${down.length} instance(s) lost to their users; p50 ${formatMs(p50)}, max ${formatMs(down.at(-1)!.outageMs)} (${byCause})`];
}

function metricLines(r: RunReport): string[] {
  const m = r.metrics;
  const rec = m.recovery;
  const phases = averagePhases(r);
  return [
    `recovery: ${rec.count} recovered; downtime p50 ${formatMs(rec.p50Ms)}, p95 ${formatMs(rec.p95Ms)}, max ${formatMs(rec.maxMs)} (floor ${formatMs(m.floorMs)})`,
    ...(phases ? [`  critical path (mean): ${phases}`] : []),
    `lost ${m.instancesLost}, data lost ${m.dataLost}, false fences ${m.falseFences}, reset loops ${m.resetLoops}, evacuations ${m.evacuations}, events ${m.events}`,
  ];
}

function averagePhases(r: RunReport): string | null {
  const list = r.instances.map((o) => o.phases).filter((p) => p !== null);
  if (list.length === 0) return null;
  const keys = ['detectMs', 'fenceMs', 'markDownMs', 'evacuateMs', 'bootMs'] as const;
  return keys.map((k) => {
    const vals = list.map((p) => p![k]).filter((v): v is number => v !== null);
    return `${k.replace('Ms', '')} ${vals.length ? formatMs(vals.reduce((a, b) => a + b, 0) / vals.length) : '—'}`;
  }).join(' → ');
}

export function renderMulti(r: MultiRunReport): string {
  const rec = r.metrics.recovery;
  const seeds = r.seeds.count === 1 ? `seed ${r.seeds.first}` : `seeds ${r.seeds.first}…${r.seeds.last}`;
  const out = [
    `ihasim run ${r.scenario}: ${r.metrics.runs} runs (${seeds}), ${r.metrics.failedRuns} failed`,
    `recovery over all seeds: ${rec.count} recovered; p50 ${formatMs(rec.p50Ms)}, p95 ${formatMs(rec.p95Ms)}, p99 ${formatMs(rec.p99Ms)}, max ${formatMs(rec.maxMs)}`,
    `lost ${r.metrics.instancesLost}, data lost ${r.metrics.dataLost}, false fences ${r.metrics.falseFences}`,
  ];
  for (const [name, n] of Object.entries(r.metrics.violationsByInvariant)) out.push(`  ${name}: violated in ${n} run(s)`);
  for (const f of r.failures.slice(0, 10)) out.push(`FAIL ${f}`);
  const more = r.metrics.failedRuns - Math.min(10, r.failures.length);
  if (more > 0) out.push(`… ${more} more failed runs (in --report; every run: --runs-jsonl FILE)`);
  const worst = r.worstRuns[0];
  if (worst) out.push(`longest downtime: ${formatMs(worst.recovery.maxMs)} in seed ${worst.seed} — replay: ${worst.replay}`);
  out.push(`verdict: ${r.verdict.toUpperCase()} (exit ${r.exitCode})`);
  return out.join('\n');
}

/**
 * Whether an event is worth a line of its own on a terminal: faults, detection, every fencing step, false
 * fences, Nova forced down, power changes, failures and refusals. Evacuations and boots, one per instance,
 * become one summary line per source host instead.
 */
export function mattersOnTerminal(e: TimelineEvent): boolean {
  if (e.type === 'fault' || e.type === 'violation' || e.type === 'pacemaker.node.unclean') return true;
  if (/fence|false|power|fail|refused|error|lost/i.test(e.type)) return true;
  return e.type === 'nova.service.update' && /forcedDown=true/.test(e.message) && !/status=disabled/.test(e.message);
}

interface Line { atMs: number; lastMs: number; types: string[]; entity: string; message: string; count: number }

const family = (type: string): string => type.slice(0, type.lastIndexOf('.') + 1 || type.length);

/**
 * Consecutive lines about the same entity and event family that repeat a type (a fence retried 9 times:
 * start, failed, start, failed, …) collapse into one: `pacemaker.fence.start/failed ×18`.
 */
export function collapseRepeats(events: readonly TimelineEvent[]): Line[] {
  const out: Line[] = [];
  let i = 0;
  while (i < events.length) {
    const first = events[i]!;
    // The group: same entity and family; once a type repeated (a retry), a new type (the success) ends it.
    const seen = new Set([first.type]);
    let repeated = false;
    let j = i + 1;
    for (; j < events.length; j++) {
      const e = events[j]!;
      if (e.entity !== first.entity || family(e.type) !== family(first.type) || family(first.type) === '') break;
      if (seen.has(e.type)) repeated = true;
      else if (repeated) break;
      seen.add(e.type);
    }
    const cycle = [...seen];
    // Collapse whole cycles only: a last, unfinished attempt (the start before the success) stays on its own.
    let end = j;
    while (end > i && events[end - 1]!.type !== cycle.at(-1)) end--;
    const group = events.slice(i, end);
    if (repeated && group.length > cycle.length) {
      const f = family(first.type);
      const shown = cycle.map((t, k) => (k === 0 ? t : t.slice(f.length))).join('/');
      out.push({ atMs: first.atMs, lastMs: group.at(-1)!.atMs, types: [shown], entity: first.entity, message: `last: ${group.at(-1)!.message}`, count: group.length });
      j = end;
    } else {
      const e = first;
      out.push({ atMs: e.atMs, lastMs: e.atMs, types: [e.type], entity: e.entity, message: e.message, count: 1 });
      j = i + 1;
    }
    i = j;
  }
  return out;
}

/** Consecutive single lines of one type and message about different entities (8 hosts powered off) become one. */
export function mergeAcrossEntities(lines: readonly Line[]): Line[] {
  const out: Line[] = [];
  for (const l of lines) {
    const prev = out.at(-1);
    if (prev && l.count === 1 && prev.types[0] === l.types[0] && prev.message === l.message && l.atMs - prev.lastMs <= 1_000 && prev.entity !== l.entity) {
      prev.entity = `${prev.entity},${l.entity}`;
      prev.lastMs = l.atMs;
      prev.count++;
    } else out.push({ ...l, types: [...l.types] });
  }
  return out.map((l) => (l.entity.includes(',') ? { ...l, entity: hostList(l.entity.split(',')) } : l));
}

const hostList = (names: string[]): string => (names.length <= 3 ? names.join(', ') : `${names.slice(0, 2).join(', ')} … ${names.at(-1)} (${names.length})`);

/** Per source host: how many evacuations were sent and guests booted elsewhere, first to last. */
function evacuationSummaries(r: RunReport): TimelineEvent[] {
  const fromHost = new Map(r.instances.filter((i) => i.fromHost).map((i) => [i.name, i.fromHost!]));
  const byHost = new Map<string, { sent: number; booted: number; first: number; last: number }>();
  for (const e of r.events) {
    const sent = e.type === 'nova.evacuate.accepted';
    if (!sent && e.type !== 'guest.booted') continue;
    const host = (sent ? /from=(\S+)/.exec(e.message)?.[1] : undefined) ?? fromHost.get(e.entity);
    if (!host) continue;
    const s = byHost.get(host) ?? { sent: 0, booted: 0, first: e.atMs, last: e.atMs };
    if (sent) s.sent++; else s.booted++;
    s.last = e.atMs;
    byHost.set(host, s);
  }
  return [...byHost].map(([host, s]) => ({
    atMs: s.first, type: 'evacuations', entity: host,
    message: `${s.sent} sent, ${s.booted} booted elsewhere, until ${formatMs(s.last)}`,
  }));
}

/** The terminal timeline: the events that matter, repeats collapsed, at most SHOWN lines. */
export function timelineLines(r: RunReport): string[] {
  const violations: TimelineEvent[] = r.violations.map((v) => ({ atMs: v.atMs, type: 'violation', entity: v.invariant, message: `${v.entities.join(',')}: ${v.message}` }));
  const picked = [...r.events.filter(mattersOnTerminal), ...violations, ...evacuationSummaries(r)];
  // Stable: events at the same instant keep the report's order.
  const ordered = picked.map((e, k) => ({ e, k })).sort((a, b) => a.e.atMs - b.e.atMs || a.k - b.k).map((x) => x.e);
  const lines = mergeAcrossEntities(collapseRepeats(ordered));
  const text = lines.slice(0, SHOWN).map((l) => {
    const type = l.count > 1 ? `${l.types[0]} ×${l.count}` : l.types[0]!;
    const at = l.lastMs > l.atMs ? `${formatMs(l.atMs)}–${formatMs(l.lastMs)}` : formatMs(l.atMs);
    return `  ${pad(at, 8)} ${pad(type, 28)} ${pad(l.entity, 14)} ${l.message}`;
  });
  const hidden = r.events.length - r.events.filter(mattersOnTerminal).length;
  if (lines.length > SHOWN) text.push(`  … ${lines.length - SHOWN} more lines`);
  const total = Math.max(r.metrics.events, r.events.length);
  text.push(`  (${hidden} routine events of the report not shown, ${total} in all: --report, --html, --trace)`);
  return text;
}
