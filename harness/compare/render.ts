import { formatMs } from '../../reports/format-duration.js';
import type { Estimate } from '../plan/summary.js';
import type { CompareResult, DesignSummary } from './compare-result.js';

const est = (e: Estimate): string => (e.value === null ? '—' : `${formatMs(e.value)}${e.ci95 ? ` [${formatMs(e.ci95[0])}, ${formatMs(e.ci95[1])}]` : ''}`);
const counts = (m: Record<string, number>): string => Object.entries(m).map(([k, n]) => `${k} ${n}`).join(', ') || '—';
const frac = (d: DesignSummary): string => {
  const f = d.summary.recoveredFraction;
  return f.value === null ? '—' : `${(f.value * 100).toFixed(1)}% of ${f.of}`;
};

export const COMPARE_HEADER = [
  'design', 'p50 [95% CI]', 'p95 [95% CI]', 'max', 'recovered', 'not recovered (instances, by reason)',
  'runs with safety violations', 'failed runs', 'hosts left disabled /run', 'operator actions /run', 'Nova API calls /run',
];

/** One row per design: what a reader compares across. */
export function compareRows(r: CompareResult): string[][] {
  return r.designs.map((d) => [
    d.design, est(d.summary.downtimeMs.p50), est(d.summary.downtimeMs.p95), d.summary.downtimeMs.max.value === null ? '—' : formatMs(d.summary.downtimeMs.max.value),
    frac(d), counts(d.summary.notRecoveredByReason), counts(d.safetyViolations), `${d.summary.failedRuns}/${d.summary.runs}`,
    String(d.summary.endState.hostsLeftDisabled), String(d.summary.endState.operatorActions), String(d.summary.endState.novaApiCalls),
  ]);
}

function preface(r: CompareResult): string[] {
  return [
    `ihasim compare ${r.scenario}: ${r.designs.length} design(s) × ${r.seeds.count} seeds (${r.seeds.first}..${r.seeds.first + r.seeds.count - 1})`,
    'same world, same faults, same seeds for every design (common random numbers): differences between rows are the designs\'.',
    'downtime of the instances evacuated and back; [95% CI]: bootstrap over seeds.',
  ];
}

/** The terminal table, transposed when it is wider than a terminal: one line per design then per metric. */
export function renderCompareTable(r: CompareResult): string {
  const body = compareRows(r);
  const out = [...preface(r), ''];
  for (const row of body) {
    out.push(row[0]!);
    for (let i = 1; i < COMPARE_HEADER.length; i++) out.push(`  ${COMPARE_HEADER[i]!.padEnd(38)} ${row[i]}`);
  }
  return out.join('\n');
}

export function renderCompareMarkdown(r: CompareResult): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const [title, ...rest] = preface(r);
  return [`# ${esc(title!)}`, '', ...rest, '', `| ${COMPARE_HEADER.join(' | ')} |`, `|${COMPARE_HEADER.map(() => '---').join('|')}|`,
    ...compareRows(r).map((row) => `| ${row.map(esc).join(' | ')} |`), ''].join('\n');
}

export function renderCompareJson(r: CompareResult): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
