/** The report layer: the versioned JSON report, its schema, its renderings (JUnit, Markdown, HTML), atomic writes. */
export type {
  InstanceOutcome,
  MultiRunReport,
  RunSummary,
  Outcome,
  Phases,
  Report,
  RunMetrics,
  RunReport,
  TimelineEvent,
  Violation,
} from './report-types.js';
export { formatMs } from './format-duration.js';
export { INVARIANTS, findInvariant, type InvariantInfo, type InvariantKind, type InvariantName } from './invariants.js';
export { validateReport } from './validate.js';
export { renderJUnit } from './junit.js';
export { renderMarkdown } from './markdown.js';
export { renderHtml } from './html.js';
export type { RenderOptions } from './render-options.js';
export { checkReportTargets, renderJson, writeFileAtomic, writeReports, type ReportTargets, type WriteData, type WriteOptions } from './write.js';
export { checkOutputPath } from './output-path.js';
export { LineFile } from './line-file.js';
