import { loadScenario } from '../scenario/index.js';
import { runScenario } from '../run/run-scenario.js';
import { runSeeds } from '../run/run-seeds.js';
import { writeFileAtomic, writeReports } from '../../reports/index.js';
import type { Report } from '../../reports/report-types.js';
import { IhasimError } from '../errors.js';
import { renderMulti, renderRun } from './terminal.js';
import { validateDefects } from './defect-flags.js';

export interface RunFlags {
  seed?: number;
  seeds?: number;
  report?: string;
  junit?: string;
  markdown?: string;
  html?: string;
  trace?: string;
  quiet?: boolean;
  json?: boolean;
  defect?: string[];
}

/** `ihasim run <scenario>`: simulate, print, write the requested reports; returns the exit code. */
export async function runCommand(file: string, flags: RunFlags, out: (s: string) => void): Promise<number> {
  const defects = validateDefects(flags.defect ?? []);
  const spec = await loadScenario(file);
  if (flags.seeds !== undefined && flags.trace) throw new IhasimError('IHASIM_USAGE', '--trace records one run: use it with --seed, not --seeds');
  let report: Report;
  if (flags.seeds !== undefined) {
    const tty = process.stderr.isTTY && !process.env.CI && !flags.quiet;
    const onRun = tty ? (_r: unknown, i: number) => void process.stderr.write(`\r  seed ${i + 1}/${flags.seeds}`) : undefined;
    report = runSeeds(spec, flags.seeds, { seed: flags.seed, trace: false, defects, onRun });
    if (tty) process.stderr.write('\r\x1b[K');
    if (!flags.quiet && !flags.json) out(renderMulti(report));
  } else {
    const { report: r, world } = runScenario(spec, { seed: flags.seed, trace: true, defects });
    report = r;
    if (flags.trace) await writeFileAtomic(flags.trace, world.trace.toJsonl());
    if (!flags.quiet && !flags.json) out(renderRun(r, { timeline: true }));
  }
  await writeReports(report, { json: flags.report, junit: flags.junit, markdown: flags.markdown, html: flags.html });
  if (flags.json) out(JSON.stringify(report, null, 2));
  if (flags.quiet && report.verdict === 'fail') out(report.kind === 'run' ? `FAIL ${report.failures[0]}\nreplay: ${report.replay}` : renderMulti(report));
  return report.exitCode;
}
