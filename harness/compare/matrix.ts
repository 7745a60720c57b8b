import { formatMs } from '../../reports/format-duration.js';
import type { CompareResult, DesignSummary } from './compare-result.js';

/**
 * One cell of the matrix: downtime p50 and the share of affected opted-in instances back by the end, the main
 * reason of those not back, and the runs that broke a safety invariant (the one thing no speed makes up for).
 */
export function matrixCell(d: DesignSummary): string {
  const s = d.summary;
  const parts: string[] = [];
  const frac = s.recoveredFraction;
  if (frac.value === null) parts.push('no instance failed');
  else {
    const p50 = s.downtimeMs.p50.value;
    parts.push(`${p50 === null ? '—' : formatMs(p50)} · ${(frac.value * 100).toFixed(0)}%`);
    const [reason] = Object.entries(s.notRecoveredByReason).sort((a, b) => b[1] - a[1]);
    if (reason && frac.value < 1) parts.push(reason[0]);
  }
  const unsafe = Math.max(0, ...Object.values(d.safetyViolations));
  if (unsafe > 0) parts.push(`UNSAFE ${Object.keys(d.safetyViolations).join('/')} in ${unsafe}/${s.runs}`);
  return parts.join(' · ');
}

function matrix(results: readonly CompareResult[]): { header: string[]; body: string[][] } {
  const designs = results[0]?.designs.map((d) => d.design) ?? [];
  const header = ['scenario', ...designs];
  const body = results.map((r) => [r.scenario, ...designs.map((name) => {
    const d = r.designs.find((x) => x.design === name);
    return d ? matrixCell(d) : '—';
  })]);
  return { header, body };
}

const legend = (results: readonly CompareResult[]): string =>
  `cell: downtime p50 · % of affected opted-in instances back by the end · main reason of the rest · runs breaking a safety invariant; ` +
  `${results[0]?.seeds.count ?? 0} seeds per scenario and design, the same seeds for every design`;

export function renderMatrixTable(results: readonly CompareResult[]): string {
  const { header, body } = matrix(results);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [legend(results), '', line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export function renderMatrixMarkdown(results: readonly CompareResult[]): string {
  const { header, body } = matrix(results);
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  return [`_${legend(results)}_`, '', `| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`,
    ...body.map((row) => `| ${row.map(esc).join(' | ')} |`), ''].join('\n');
}
