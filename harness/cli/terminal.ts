import { formatMs } from '../../reports/format-duration.js';
import type { MultiRunReport, RunReport } from '../../reports/report-types.js';

/** Lines of the timeline shown on a terminal (the report and --trace have everything). */
const SHOWN = 40;

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

/** The human summary of one run: timeline, outcomes, metrics, verdict, and the replay command on failure. */
export function renderRun(r: RunReport, opts: { timeline: boolean }): string {
  const out: string[] = [`ihasim run ${r.scenario} (policy ${r.policy}, seed ${r.seed}, ${formatMs(r.durationMs)} simulated)`];
  if (opts.timeline && r.events.length) {
    out.push('', 'timeline:');
    for (const e of r.events.slice(0, SHOWN)) out.push(`  ${pad(formatMs(e.atMs), 8)} ${pad(e.type, 28)} ${pad(e.entity, 14)} ${e.message}`);
    if (r.events.length > SHOWN) out.push(`  … ${r.events.length - SHOWN} more in the report (--report) and the trace (--trace)`);
  }
  out.push('', ...outcomeLines(r), '', ...outageLines(r), ...metricLines(r));
  for (const v of r.violations) out.push(`VIOLATION ${v.invariant} at ${formatMs(v.atMs)}: ${v.message}`);
  for (const e of r.expectedViolations) out.push(`expected violation ${e.name}: ${e.found ? 'found' : 'NOT FOUND'}`);
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
