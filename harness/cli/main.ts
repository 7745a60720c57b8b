import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { formatError, IhasimError, isIhasimError } from '../errors.js';
import { validateScenarioFile } from '../scenario/index.js';
import { runCommand, type RunFlags } from './run-command.js';

const positiveInt = (name: string) => (value: string): number => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${name} takes a whole number, found '${value}'`);
  return Number(value);
};

function buildProgram(out: (s: string) => void, setCode: (n: number) => void): Command {
  const program = new Command('ihasim')
    .description('Deterministic simulator and chaos harness for OpenStack instance HA')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out(s.trimEnd()), writeErr: (s) => process.stderr.write(s) })
    .showSuggestionAfterError(true);
  program.command('run')
    .description('simulate a scenario for one seed (or many) and judge its invariants')
    .argument('<scenario>', 'scenario YAML file')
    .addOption(new Option('--seed <n>', 'run this seed (default: the scenario seed)').argParser(positiveInt('--seed')))
    .addOption(new Option('--seeds <n>', 'run n seeds starting at the seed, aggregated').argParser(positiveInt('--seeds')))
    .option('--report <file>', 'write the JSON report')
    .option('--junit <file>', 'write JUnit XML')
    .option('--markdown <file>', 'write a Markdown summary')
    .option('--html <file>', 'write an HTML report')
    .option('--trace <file>', 'write the full trace (JSONL)')
    .option('--json', 'print the JSON report on stdout')
    .option('--quiet', 'print nothing unless it fails')
    .option('--defect <name...>', 'run with a catalogued defect injected into the recovery logic')
    .action(async (file: string, flags: RunFlags) => setCode(await runCommand(file, flags, out)));
  program.command('validate')
    .description('check a scenario file and explain every error')
    .argument('<scenario...>', 'scenario YAML files')
    .action(async (files: string[]) => setCode(await validateCommand(files, out)));
  return program;
}

async function validateCommand(files: string[], out: (s: string) => void): Promise<number> {
  let code = 0;
  for (const file of files) {
    const res = await validateScenarioFile(file);
    if (res.ok) out(`${file}: ok (${res.spec.topology.computes.length} computes, ${res.spec.servers.length} servers, ${res.spec.faults.length} faults, policy ${res.spec.recovery.policy})`);
    else {
      process.stderr.write(formatError(res.error) + '\n');
      code = res.error.exitCode;
    }
  }
  return code;
}

/** The CLI entry point: returns the process exit code (DESIGN.md "CLI contract"). */
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
