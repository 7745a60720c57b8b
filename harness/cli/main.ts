import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { formatError, IhasimError, isIhasimError } from '../errors.js';
// Commands are imported when they run, so `ihasim --help` or a one-seed run never loads the servers (fastify, TLS,
// IPMI), the checker or the planner.
import type { RunFlags } from './run-command.js';
import type { CheckFlags } from './check-command.js';
import type { ServeFlags } from '../serve/serve-command.js';
import type { PlanFlags } from '../plan/plan-command.js';
import type { MergeFlags } from '../plan/merge-command.js';
import type { CompareFlags } from '../compare/compare-command.js';
import type { JudgeFlags } from './judge-command.js';
import type { InjectFlags } from '../inject/inject-command.js';
import { packageVersion, pythonShimPath } from './package-info.js';
import { isSeed, MAX_SEED_COUNT, SEED_RANGE_TEXT } from '../run/seed-range.js';

const positiveInt = (name: string) => (value: string): number => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${name} takes a whole number, found '${value}'`);
  return Number(value);
};

/** A seed: a whole number in 0..4294967295 (see harness/run/seed-range.ts). */
const seedArg = (name: string) => (value: string): number => {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!isSeed(n)) throw new InvalidArgumentError(`${name} takes a seed ${SEED_RANGE_TEXT}, found '${value}'`);
  return n;
};

/** A count of seeds: 1..MAX_SEED_COUNT. */
const seedCount = (name: string) => (value: string): number => {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_SEED_COUNT)) throw new InvalidArgumentError(`${name} takes a count of seeds 1..${MAX_SEED_COUNT}, found '${value}'`);
  return n;
};

/** `--seeds N` of a command that runs every point or design on the same seeds. */
const seedsOption = (help: string): Option => new Option('--seeds <n>', help).argParser(seedCount('--seeds'));
const firstSeedOption = (): Option => new Option('--seed <n>', `first seed, ${SEED_RANGE_TEXT} (default: the scenario seed)`).argParser(seedArg('--seed'));
const jobsOption = (): Option => new Option('--jobs <n>', JOBS_HELP).argParser(jobsArg);
const defectOption = (): Option => new Option('--defect <name...>', 'inject a catalogued defect into the recovery logic');

/** `--jobs N`: worker threads, 1..256. */
const jobsArg = (value: string): number => {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 256)) throw new InvalidArgumentError(`--jobs takes 1..256 worker threads, found '${value}'`);
  return n;
};
const JOBS_HELP = 'lanes for the seeds: this thread and N-1 worker threads, from the start (default: up to one per core, workers added only once the run proves long enough to repay them); results are the same for any number';
const CHECK_JOBS_HELP = 'worker threads for the search (default: one per core); the same counterexample, path and run count for any number; shrinking runs in the main thread';

const port = (name: string) => (value: string): number => {
  const n = positiveInt(name)(value);
  if (n > 65535) throw new InvalidArgumentError(`${name} takes a port 0..65535, found '${value}'`);
  return n;
};

/** Repeatable options (`--set a=1 --set b=2`) collect into a list. */
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
const SET_HELP = 'change the scenario before validation: key.path=value, value as YAML (repeatable)';

const positiveNumber = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0)) throw new InvalidArgumentError(`${name} takes a number > 0, found '${value}'`);
  return n;
};

function buildProgram(out: (s: string) => void, setCode: (n: number) => void): Command {
  const program = new Command('ihasim')
    .description('Deterministic simulator and chaos harness for OpenStack instance HA')
    .version(packageVersion(), '-V, --version', 'print the ihasim version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out(s.trimEnd()), writeErr: (s) => process.stderr.write(s) })
    .showSuggestionAfterError(true);
  program.command('run')
    .description('simulate a scenario for one seed (or many) and judge its invariants')
    .argument('<scenario>', 'scenario YAML file')
    .addOption(new Option('--seed <n>', `run this seed, ${SEED_RANGE_TEXT} (default: the scenario seed)`).argParser(seedArg('--seed')))
    .addOption(new Option('--seeds <n>', `run n seeds starting at the seed, aggregated (n ≤ ${MAX_SEED_COUNT})`).argParser(seedCount('--seeds')))
    .option('--report <file>', 'write the JSON report')
    .option('--junit <file>', 'write JUnit XML')
    .option('--markdown <file>', 'write a Markdown summary')
    .option('--html <file>', 'write an HTML report')
    .option('--trace <file>', 'write the full trace (JSONL)')
    .option('--history <file>', 'write the run\'s history of observations (JSONL), for ihasim judge')
    .option('--runs-jsonl <file>', 'with --seeds: write every run\'s report, one JSON line per seed')
    .addOption(new Option('--jobs <n>', JOBS_HELP).argParser(jobsArg))
    .option('--shard <i/n>', 'with --seeds: run slice i of n of the seeds and write it to --out (combine with ihasim merge)')
    .option('--out <file>', 'with --shard: the part file')
    .option('--json', 'print the JSON report on stdout')
    .option('--quiet', 'print nothing unless it fails')
    .option('--defect <name...>', 'run with a catalogued defect injected into the recovery logic')
    .option('--set <key=value>', SET_HELP, collect)
    .action(async (file: string, flags: RunFlags) => setCode(await (await import('./run-command.js')).runCommand(file, flags, out)));
  program.command('judge')
    .description('judge a saved history (run --history, or inject) again: the same reports and exit codes as run')
    .argument('<history>', 'history file (JSONL)')
    .option('--report <file>', 'write the JSON report')
    .option('--junit <file>', 'write JUnit XML')
    .option('--markdown <file>', 'write a Markdown summary')
    .option('--html <file>', 'write an HTML report')
    .option('--json', 'print the JSON report on stdout')
    .option('--quiet', 'print nothing unless it fails')
    .action(async (file: string, flags: JudgeFlags) => setCode(await (await import('./judge-command.js')).judgeCommand(file, flags, out)));
  program.command('serve')
    .description('run the world in real time behind Keystone/Nova/Glance, IPMI, Redfish and a control API')
    .argument('<scenario>', 'scenario YAML file (recovery.policy: external leaves recovery to outside agents)')
    .option('--host <address>', 'address every server binds', '127.0.0.1')
    .addOption(new Option('--port <n>', 'OpenStack APIs and control API port (0: pick one)').argParser(port('--port')))
    .addOption(new Option('--ipmi-base-port <n>', 'IPMI of compute i on n + i (0: ephemeral ports)').argParser(port('--ipmi-base-port')))
    .addOption(new Option('--redfish-port <n>', 'Redfish HTTPS port (0: pick one)').argParser(port('--redfish-port')))
    .addOption(new Option('--ssh-port-base <n>', 'an SSH server per compute, compute i on n + i (0: ephemeral ports; default: no SSH)').argParser(port('--ssh-port-base')))
    .option('--canary-interval <duration>', "sim time between heartbeats of instances whose metadata names an ihasim_collector (default 5s)")
    .option('--ssh-authorized-keys <file>', 'OpenSSH public keys the computes\' SSH accepts (and/or a password in IHASIM_SSH_PASSWORD)')
    .addOption(new Option('--speed <x>', 'simulated seconds per wall-clock second').argParser(positiveNumber('--speed')))
    .addOption(new Option('--seed <n>', `seed, ${SEED_RANGE_TEXT} (default: the scenario seed)`).argParser(seedArg('--seed')))
    .option('--log-level <level>', 'pino log level on stderr: fatal, error, warn, info, debug, trace, silent', 'warn')
    .option('--control-token <token>', 'require this token on the control API (Authorization: Bearer)')
    .option('--json', 'print the endpoints, and at the end the report, as JSON')
    .option('--timestamps <mode>', 'API times: wall (the wall-clock moment of each sim event) or sim (sim time, runs ahead at --speed > 1)', 'wall')
    .option('--defect <name...>', 'serve with a catalogued defect injected (recovery logic and BMC backend)')
    .option('--replay-out <file>', 'on stop, write the replay scenario here (default: ihasim-serve-<seed>-replay.yaml)')
    .action(async (file: string, flags: ServeFlags) => setCode(await (await import('../serve/serve-command.js')).serveCommand(file, flags, out)));
  program.command('check')
    .description('property-based chaos: generate fault schedules, find invariant violations, shrink them')
    .argument('[scenario]', 'scenario YAML file (its check: block is the fault space)')
    .addOption(new Option('--runs <n>', 'most schedules to try').argParser(positiveInt('--runs')))
    .option('--time-budget <duration>', 'how long to search (e.g. 60s, 5m)', '60s')
    .addOption(new Option('--seed <n>', `fast-check seed, ${SEED_RANGE_TEXT} (default: the scenario seed)`).argParser(seedArg('--seed')))
    .option('--path <path>', 'fast-check replay path of a counterexample (with --seed)')
    .addOption(new Option('--max-faults <k>', 'most faults per schedule').argParser(positiveInt('--max-faults')))
    .option('--defect <name...>', 'inject a catalogued defect into the recovery logic')
    .option('--faults <kind...>', "narrow the fault space to these kinds (default: the check block's faults)")
    .option('--list-defects', 'list the catalogued defects and exit')
    .option('--exhaustive', 'enumerate every schedule of up to --depth faults on a time grid')
    .addOption(new Option('--depth <d>', 'exhaustive: faults per schedule').argParser(positiveInt('--depth')))
    .option('--grid <duration>', 'exhaustive: time grid (default: the check block grid)')
    .addOption(new Option('--jobs <n>', CHECK_JOBS_HELP).argParser(jobsArg))
    .option('--out <file>', 'where to write the counterexample scenario')
    .option('--json', 'print the result as JSON')
    .option('--set <key=value>', SET_HELP, collect)
    .action(async (file: string | undefined, flags: CheckFlags & { listDefects?: boolean }) => {
      if (flags.listDefects) return void out((await import('../check/defects.js')).defectCatalogue().map((d) => `${d.name}\n    ${d.change}\n    reproduces: ${d.source}`).join('\n'));
      if (!file) throw new IhasimError('IHASIM_USAGE', 'ihasim check needs a scenario file');
      setCode(await (await import('./check-command.js')).checkCommand(file, flags, out));
    });
  program.command('plan')
    .description('what-if: a grid of --set values (or a --search for a target), every point on the same seeds')
    .argument('<scenario>', 'scenario YAML file')
    .option('--vary <key=v1,v2,...>', 'a key and its values; several --vary make the cartesian grid', collect)
    .option('--set <key=value>', SET_HELP, collect)
    .addOption(seedsOption('runs per point, seeds from the first (every point on the same seeds)'))
    .addOption(firstSeedOption())
    .option('--target <slo>', "an SLO: p50|p95|p99|max|mean|recovered-fraction(T) <=|<|>=|> value, e.g. 'p99 <= 10m'")
    .option('--search <key=lo..hi>', 'with --target: bisect for the smallest value meeting it (integers, or durations with --step)')
    .option('--step <step>', '--search step (default 1 for integers)')
    .option('--as <template>', "--search: the value set is this text with %v replaced, e.g. 'spare-{1..%v}'")
    .option('--maximize', '--search: the largest value meeting the target instead of the smallest')
    .option('--csv <file>', 'write one CSV row per point')
    .option('--per-seed-csv <file>', 'write one CSV row per point and seed')
    .option('--json <file>', 'write the result as JSON')
    .option('--markdown <file>', 'write the table as Markdown')
    .option('--html <file>', 'write the plan as a page of charts (downtime CDF, sensitivity, phases, worst seeds)')
    .option('--shard <i/n>', 'run slice i of n of the points × seeds and write it to --out (combine with ihasim merge)')
    .option('--out <file>', 'with --shard: the part file')
    .addOption(jobsOption())
    .addOption(defectOption())
    .option('--quiet', 'print no table')
    .action(async (file: string, flags: PlanFlags) => setCode(await (await import('../plan/plan-command.js')).planCommand(file, flags, out)));
  program.command('compare')
    .description('the same scenario, faults and seeds under each recovery design, side by side')
    .argument('<scenarios...>', 'scenario YAML files (several: a matrix of scenario × design too)')
    .option('--designs <a,b,...>', 'the recovery designs to compare (recovery.policy values)')
    .option('--knob <design.key=value>', "a knob of one design's recovery block, e.g. instanceha.forceDown=false", collect)
    .option('--set <key=value>', SET_HELP, collect)
    .addOption(seedsOption('runs per design, every design on the same seeds (default 100)'))
    .addOption(firstSeedOption())
    .option('--json <file>', 'write the comparison as JSON')
    .option('--markdown <file>', 'write the table as Markdown')
    .option('--html <file>', 'write the comparison as a page of charts')
    .addOption(jobsOption())
    .addOption(defectOption())
    .option('--quiet', 'print no table')
    .action(async (files: string[], flags: CompareFlags) => setCode(await (await import('../compare/compare-command.js')).compareCommand(files, flags, out)));
  program.command('merge')
    .description('combine the part files of ihasim plan --shard (or run --seeds --shard) into the result of the whole')
    .argument('<parts...>', 'part files')
    .option('--csv <file>', 'write one CSV row per point')
    .option('--per-seed-csv <file>', 'write one CSV row per point and seed')
    .option('--json <file>', 'write the result (run parts: the run report) as JSON')
    .option('--markdown <file>', 'write the table (run parts: the run summary) as Markdown')
    .option('--quiet', 'print no table')
    .action(async (parts: string[], flags: MergeFlags) => setCode(await (await import('../plan/merge-command.js')).mergeCommand(parts, flags, out)));
  program.command('inject')
    .description('fault injection against a staging cloud, judged like a simulation (dry run unless --execute)')
    .argument('[campaign]', 'campaign YAML file (cloud, inventory, faults, canaries, limits, expect)')
    .option('--execute', 'run the campaign (default: a dry run that changes nothing)')
    .option('--journal <file>', 'with --execute: the journal of actions (default: ihasim-inject-<name>-<time>.jsonl)')
    .option('--restore <journal>', 'undo every fault the journal shows still active (after a crash or SIGKILL); safe to repeat')
    .option('--campaign <file>', 'with --restore: the campaign file, when it moved since the journal was written')
    .option('--history <file>', 'write the observed history (JSONL), for ihasim judge')
    .option('--report <file>', 'write the JSON report')
    .option('--junit <file>', 'write JUnit XML')
    .option('--markdown <file>', 'write a Markdown summary')
    .option('--html <file>', 'write an HTML report')
    .option('--json', 'print the JSON report on stdout')
    .option('--quiet', 'print nothing unless it fails')
    .action(async (file: string | undefined, flags: InjectFlags) => setCode(await (await import('../inject/inject-command.js')).injectCommand(file, flags, out)));
  program.command('shim-path')
    .description("print the directory to put on PYTHONPATH for Debian 12's fence_compute and fence_evacuate")
    .action(() => out(pythonShimPath()));
  program.command('validate')
    .description('check a scenario file and explain every error')
    .argument('<scenario...>', 'scenario YAML files')
    .action(async (files: string[]) => setCode(await validateCommand(files, out)));
  return program;
}

async function validateCommand(files: string[], out: (s: string) => void): Promise<number> {
  let code = 0;
  for (const file of files) {
    const res = await (await import('../scenario/index.js')).validateScenarioFile(file);
    if (res.ok) out(`${file}: ok (${res.spec.topology.computes.length} computes, ${res.spec.servers.length} servers, ${res.spec.faults.length} faults, policy ${res.spec.recovery.policy})`);
    else {
      process.stderr.write(formatError(res.error) + '\n');
      code = res.error.exitCode;
    }
  }
  return code;
}

/** The CLI entry point: returns the process exit code (README "Running scenarios": exit codes). */
export async function main(argv: readonly string[], out: (s: string) => void = (s) => process.stdout.write(s + '\n')): Promise<number> {
  let code = 0;
  const program = buildProgram(out, (n) => (code = n));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    return handleError(err);
  }
}

function handleError(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
    return new IhasimError('IHASIM_USAGE', err.message).exitCode;
  }
  if (isIhasimError(err)) {
    process.stderr.write(formatError(err) + '\n');
    return err.exitCode;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`error[IHASIM_INTERNAL]: ${e.message}\n${e.stack ?? ''}\nThis is a bug in ihasim; please report it with the command you ran.\n`);
  return 4;
}
