import { checkOutputPath } from '../../reports/output-path.js';
import { writeFileAtomic } from '../../reports/write.js';
import type { PlanResult } from './result.js';
import { renderCsv, renderJson, renderMarkdown, renderPerSeedCsv, renderTable } from './render.js';
import type { SeedRecord } from './seed-record.js';

/** Where a plan's result goes besides the terminal. */
export interface PlanOutputs {
  csv?: string;
  perSeedCsv?: string;
  json?: string;
  markdown?: string;
  html?: string;
}

const FLAGS: Record<keyof PlanOutputs, string> = { csv: '--csv', perSeedCsv: '--per-seed-csv', json: '--json', markdown: '--markdown', html: '--html' };

/** Checks every output path before any run: a typo is told at once, not after an hour of seeds. */
export async function checkPlanOutputs(outputs: PlanOutputs): Promise<void> {
  for (const k of Object.keys(FLAGS) as (keyof PlanOutputs)[]) if (outputs[k]) await checkOutputPath(outputs[k], FLAGS[k]);
}

/** Prints the table and writes the requested files. */
export async function emitPlan(result: PlanResult, records: readonly SeedRecord[], outputs: PlanOutputs, out: (s: string) => void, quiet = false): Promise<void> {
  if (!quiet) out(renderTable(result));
  if (outputs.json) await writeFileAtomic(outputs.json, renderJson(result), { flag: '--json' });
  if (outputs.csv) await writeFileAtomic(outputs.csv, renderCsv(result), { flag: '--csv' });
  if (outputs.perSeedCsv) await writeFileAtomic(outputs.perSeedCsv, renderPerSeedCsv(result, records), { flag: '--per-seed-csv' });
  if (outputs.markdown) await writeFileAtomic(outputs.markdown, renderMarkdown(result), { flag: '--markdown' });
  if (outputs.html) await writeFileAtomic(outputs.html, (await import('./html.js')).renderPlanHtml(result, records), { flag: '--html' });
}
