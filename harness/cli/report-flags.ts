import type { ReportTargets } from '../../reports/index.js';

/** The report files a command that judges a run writes (`run`, `judge`, `inject`), and `--json` / `--quiet`. */
export interface ReportFlags {
  report?: string;
  junit?: string;
  markdown?: string;
  html?: string;
  json?: boolean;
  quiet?: boolean;
}

/** Where `--report`, `--junit`, `--markdown` and `--html` go (an absent flag writes nothing). */
export function reportTargetsOf(flags: ReportFlags): ReportTargets {
  return { json: flags.report, junit: flags.junit, markdown: flags.markdown, html: flags.html };
}
