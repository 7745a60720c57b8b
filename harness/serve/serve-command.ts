/**
 * `ihasim serve <scenario>`: load the scenario, start every endpoint (serve.ts), print them once, serve until
 * SIGINT or SIGTERM, then close cleanly and print the final report's summary. Exit code: the report's
 * (DESIGN.md "CLI contract"), so a CI job that drove a recovery agent against serve can gate on it.
 */
import { pino, type Level, type Logger } from 'pino';
import { IhasimError } from '../errors.js';
import { renderRun } from '../cli/terminal.js';
import { loadScenario } from '../scenario/index.js';
import { renderEndpoints } from './endpoints.js';
import { startServe, type ServeOptions } from './serve.js';

/** The command line: the server options (documented on ServeOptions) plus how to log and print. */
export type ServeFlags = Partial<Pick<ServeOptions, 'host' | 'port' | 'ipmiBasePort' | 'redfishPort' | 'speed' | 'seed' | 'controlToken'>> & {
  logLevel?: string;
  json?: boolean;
};

const LEVELS: readonly (Level | 'silent')[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Logs go to stderr (stdout carries the endpoints and the report), quiet unless asked: warnings and errors. */
function makeLogger(level: string | undefined): Logger {
  const chosen = level ?? 'warn';
  if (!(LEVELS as readonly string[]).includes(chosen)) {
    throw new IhasimError('IHASIM_USAGE', `--log-level takes one of ${LEVELS.join(', ')}, found '${chosen}'`);
  }
  return pino({ level: chosen, base: { name: 'ihasim-serve' } }, pino.destination(2));
}

/** Resolves with the first of SIGINT / SIGTERM (the handlers are removed again). */
function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/** Runs `ihasim serve`; returns the exit code once stopped by a signal. */
export async function serveCommand(file: string, flags: ServeFlags, out: (s: string) => void): Promise<number> {
  const spec = await loadScenario(file);
  const logger = makeLogger(flags.logLevel);
  const handle = await startServe({
    spec, logger,
    ...(flags.host !== undefined ? { host: flags.host } : {}), ...(flags.port !== undefined ? { port: flags.port } : {}),
    ...(flags.ipmiBasePort !== undefined ? { ipmiBasePort: flags.ipmiBasePort } : {}),
    ...(flags.redfishPort !== undefined ? { redfishPort: flags.redfishPort } : {}),
    ...(flags.speed !== undefined ? { speed: flags.speed } : {}), ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(flags.controlToken !== undefined ? { controlToken: flags.controlToken } : {}),
  });
  const { endpoints, session } = handle;
  if (flags.json) out(JSON.stringify(endpoints, null, 2));
  else {
    out(`ihasim serve: ${spec.name} (policy ${spec.recovery.policy}, seed ${session.seed}, speed ${session.driver.speed}×, ends at sim ${spec.durationMs} ms)`);
    out(renderEndpoints(endpoints));
    out('Ctrl-C stops and prints the report.');
  }
  const signal = await nextSignal();
  logger.info({ signal }, 'stopping');
  const report = await handle.close();
  if (flags.json) out(JSON.stringify(report, null, 2));
  else out(`\nstopped by ${signal} at sim ${session.world.kernel.now} ms\n${renderRun(report, { timeline: false })}`);
  return report.exitCode;
}
