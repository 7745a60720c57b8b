/**
 * `ihasim inject CAMPAIGN [--execute]` and `ihasim inject --restore JOURNAL`. A dry run (the default) validates,
 * checks read-only that every channel works, and prints each action with its target, time and undo. `--execute`
 * runs it: journal first, observers beside it, undo on abort, then a settle period, the judge, and the reports of
 * `ihasim run`. Secrets pass through the redactor before any output.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { IhasimError } from '../errors.js';
import { checkReportTargets, renderJson, writeReports, type ReportTargets } from '../../reports/index.js';
import { signalExitCode } from '../cli/stop-signals.js';
import { HISTORY_VERSION } from '../history/observation.js';
import { checkBlastRadius } from './blast-radius.js';
import { loadCampaign } from './campaign-load.js';
import type { Campaign } from './campaign.js';
import { CanaryCollector } from './canary-collector.js';
import { Connections, Executor, type ExecutorOptions } from './executor.js';
import { buildInjectReport, injectReportBase, judgedInvariants, renderInjectSummary } from './inject-report.js';
import { activeFaults, Journal, JOURNAL_VERSION, readJournal } from './journal.js';
import { Observers } from './observers.js';
import { resolveCloud } from './openstack/cloud-config.js';
import { OpenStackClient } from './openstack/openstack-client.js';
import { planActions, renderPlan } from './plan.js';
import { preflight } from './preflight.js';
import { Recorder } from './recorder.js';
import { CampaignRunner } from './runner.js';
import { Redactor } from './secrets.js';
import { TokenBucket } from './token-bucket.js';
import { parseDuration } from '../scenario/duration.js';
import { reportTargetsOf, type ReportFlags } from '../cli/report-flags.js';

export interface InjectFlags extends ReportFlags {
  execute?: boolean;
  restore?: string;
  campaign?: string;
  journal?: string;
  history?: string;
}

/** Test seams: faster read-backs. Not flags: a real BMC needs the defaults. */
export interface InjectTestOptions { executor?: ExecutorOptions }

function connections(campaign: Campaign, redactor: Redactor): { conns: Connections; closeOpenstack: () => Promise<void> } {
  let client: OpenStackClient | undefined;
  const bucket = new TokenBucket(campaign.limits.apiRatePerSecond);
  const conns = new Connections(campaign, redactor, async () => (client ??= new OpenStackClient(resolveCloud(campaign.cloud, redactor), bucket)));
  return { conns, closeOpenstack: async () => void (await client?.close()) };
}

function defaultJournal(campaign: Campaign): string {
  return `ihasim-inject-${campaign.name.replace(/[^A-Za-z0-9._-]/g, '_')}-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`;
}

export async function injectCommand(file: string | undefined, flags: InjectFlags, out: (s: string) => void, test: InjectTestOptions = {}): Promise<number> {
  const redactor = new Redactor();
  const say = (s: string) => out(redactor.text(s));
  const log = flags.quiet ? () => {} : say;
  if (flags.restore) return restoreCommand(flags.restore, flags, say, redactor, test);
  if (!file) throw new IhasimError('IHASIM_USAGE', 'ihasim inject needs a campaign file (or --restore JOURNAL)');
  const { campaign, locate } = await loadCampaign(file);
  checkBlastRadius(campaign, locate);
  const targets = reportTargetsOf(flags);
  await checkReportTargets(targets);
  const actions = planActions(campaign);
  const { conns, closeOpenstack } = connections(campaign, redactor);
  try {
    log(`campaign ${campaign.name}: ${actions.length} action(s) on ${new Set(actions.map((a) => a.target)).size} target(s)${flags.execute ? '' : ' (dry run)'}`);
    log('read-only checks:');
    await preflight(conns, actions, log);
    log('plan:');
    log(renderPlan(actions));
    if (!flags.execute) {
      log('dry run: nothing was changed. Add --execute to run the campaign.');
      return 0;
    }
    return await execute(campaign, file, actions, flags, targets, conns, redactor, log, say, test);
  } finally {
    await conns.close();
    await closeOpenstack();
  }
}

async function execute(
  campaign: Campaign, file: string, actions: ReturnType<typeof planActions>, flags: InjectFlags, targets: ReportTargets,
  conns: Connections, redactor: Redactor, log: (s: string) => void, say: (s: string) => void, test: InjectTestOptions,
): Promise<number> {
  const journalPath = flags.journal ?? defaultJournal(campaign);
  const journal = new Journal(journalPath, redactor);
  const startMs = Date.now();
  journal.append({ type: 'start', v: JOURNAL_VERSION, at: new Date(startMs).toISOString(), campaign: campaign.name, file: resolve(file), pid: process.pid });
  log(`journal: ${journalPath} (undo with: ihasim inject --restore ${journalPath})`);
  const recorder = new Recorder(startMs, redactor, flags.history);
  const observers = new Observers(campaign, conns, recorder);
  const collector = new CanaryCollector((h) => observers.heartbeat(h));
  const executor = new Executor(conns, test.executor);
  const runner = new CampaignRunner({ campaign, actions, executor, journal, observers, recorder, log });
  const onSignal = (signal: NodeJS.Signals) => runner.abort(`${signal} received`, signal);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const port = await collector.listen(campaign.canaries.bind, campaign.canaries.port);
    log(`canary collector: http://${campaign.canaries.bind}:${port}/v1/heartbeat`);
    // A baseline poll: Nova's view before the first fault, and the canaries the header names.
    const baseline = await observers.poll();
    if (baseline) throw new IhasimError('IHASIM_INJECT_PREFLIGHT', `the cloud is not healthy before the first fault: ${baseline}; nothing was changed`);
    recorder.start(header(campaign, startMs, observers.canarySummary().expected));
    const result = await runner.run();
    await collector.close();
    const hash = createHash('sha256').update(readFileSync(file)).digest('hex');
    const base = redactor.value(injectReportBase(campaign, recorder.observations, result, `npx ihasim inject ${file} --execute`, hash));
    recorder.add({ kind: 'end', source: 'harness', settled: result.abortReason === null, report: base as unknown as Record<string, unknown> });
    journal.append({ type: 'end', at: new Date().toISOString(), outcome: result.abortReason ? `aborted: ${result.abortReason}` : 'completed' });
    const report = redactor.value(buildInjectReport(recorder.observations, base, result));
    await writeReports(report, targets);
    if (flags.json) say(renderJson(report).trimEnd());
    else if (!flags.quiet || report.verdict === 'fail') say(renderInjectSummary(report));
    return result.signal ? signalExitCode(result.signal) : report.exitCode;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await collector.close();
    journal.close();
  }
}

/** The history's header: canaries are the instances judged for recovery (opted in); no instance is excluded. */
function header(c: Campaign, startMs: number, canaries: readonly string[]) {
  const bound = c.expect.recoveryBound;
  return {
    kind: 'header' as const, source: 'harness' as const, history: HISTORY_VERSION, mode: 'inject' as const, scenario: c.name,
    judged: judgedInvariants(c), expectedViolations: [...c.expect.violations], allowedReasons: [...c.expect.allowedReasons],
    ...(bound !== undefined ? { recoveryBoundMs: parseDuration(bound), recoveryBoundFrom: c.expect.recoveryBoundFrom as 'failure' | 'heal' } : {}),
    healedAtMs: Math.max(0, ...c.faults.map((f) => f.atMs + (f.durationMs ?? 0))), settleMs: c.settleMs,
    instances: canaries.map((name) => ({ name, eligible: true })), filter: 'live cloud: the canaries are judged; the instance HA service decides the rest', heartbeat: { intervalMs: c.canaries.intervalMs },
    meta: { startedAt: new Date(startMs).toISOString() },
  };
}

/** Whether a process with this id exists (it may be another program that reused the id after a crash). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `--restore JOURNAL`: undoes every fault the journal shows still active, newest first; safe to run again. */
async function restoreCommand(path: string, flags: InjectFlags, say: (s: string) => void, redactor: Redactor, test: InjectTestOptions): Promise<number> {
  const records = readJournal(path);
  const start = records[0] as Extract<(typeof records)[number], { type: 'start' }>;
  const { campaign } = await loadCampaign(flags.campaign ?? start.file, { restore: true });
  const active = activeFaults(records).reverse();
  if (start.pid !== process.pid && processRuns(start.pid)) {
    say(`warning: process ${start.pid}, which wrote this journal, still runs; if it is that campaign, Ctrl-C it instead (it undoes its own faults)`);
  }
  const journal = new Journal(path, redactor);
  const { conns, closeOpenstack } = connections(campaign, redactor);
  try {
    journal.append({ type: 'restore', at: new Date().toISOString(), pid: process.pid, active: active.map((a) => a.id) });
    if (active.length === 0) {
      say(`restore ${path}: nothing is active`);
      return 0;
    }
    const executor = new Executor(conns, test.executor);
    let failed = 0;
    for (const a of active) {
      journal.append({ type: 'undo', at: new Date().toISOString(), id: a.id, reason: 'restore' });
      const r = await executor.undo(a.undo!);
      journal.append({ type: 'undone', at: new Date().toISOString(), id: a.id, ok: r.ok, verified: r.verified, detail: r.detail });
      say(`restore ${a.id} (${a.kind} on ${a.target}): ${r.verified ? 'confirmed' : 'NOT CONFIRMED'}: ${r.detail}`);
      if (!r.verified) failed++;
    }
    return failed ? 1 : 0;
  } finally {
    journal.close();
    await conns.close();
    await closeOpenstack();
  }
}
