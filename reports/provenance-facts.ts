import type { ReportProvenance } from './report-types.js';

/**
 * The summary lines that let a reader reproduce a report: the ihasim version, the scenario hash, where the scenario
 * came from (a counterexample's `provenance:`), and any reproducibility warning. Shared by Markdown and HTML.
 */
export function provenanceFacts(report: ReportProvenance): [string, string][] {
  const facts: [string, string][] = [['ihasim version', report.ihasimVersion], ['Scenario hash', report.scenarioHash]];
  const p = report.scenarioProvenance;
  if (p !== undefined) facts.push(['Scenario written by', describeProvenance(p)]);
  for (const warning of report.warnings ?? []) facts.push(['Warning', warning]);
  return facts;
}

function describeProvenance(p: NonNullable<ReportProvenance['scenarioProvenance']>): string {
  return `ihasim ${p.ihasim} (check --seed ${p.seed} --path ${p.path}) from scenario ${p.scenarioHash}`;
}
