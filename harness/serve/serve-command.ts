/**
 * `ihasim serve <scenario>`: load the scenario, start every endpoint (serve.ts), print them once, serve until
 * SIGINT or SIGTERM, then close cleanly and print the final report's summary. Exit code: the report's
 * (README "Running scenarios": exit codes), so a CI job that drove a recovery agent against serve can gate on it.
 */
import { pino, type Level, type Logger } from 'pino';
import { IhasimError } from '../errors.js';
import { renderRun } from '../cli/terminal.js';
import { validateDefects } from '../cli/defect-flags.js';
import { loadScenario } from '../scenario/index.js';
import { renderEndpoints } from './endpoints.js';
import { startServe, TIMESTAMP_MODES, type ServeOptions, type TimestampMode } from './serve.js';
import { writeReplayScenario } from './replay.js';
import type { ServeSession } from './serve-session.js';
import { relative, resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { parseDuration } from '../scenario/duration.js';
import type { SshServeOptions } from './ssh/ssh-server.js';

/** The command line: the server options (documented on ServeOptions) plus how to log and print. */
export type ServeFlags = Partial<Pick<ServeOptions, 'host' | 'port' | 'ipmiBasePort' | 'redfishPort' | 'speed' | 'seed' | 'controlToken'>> & {
  timestamps?: string;
  defect?: string[];
  /** `--ssh-port-base`: start the computes' SSH servers. */
  sshPortBase?: number;
  sshAuthorizedKeys?: string;
  /** `--canary-interval`: a duration (`5s`). */
  canaryInterval?: string;
} & {
  logLevel?: string;
  json?: boolean;
  /** Where to write the replay scenario on stop; default `ihasim-serve-<seed>-replay.yaml` in the cwd. */
  replayOut?: string;
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

function timestampMode(value: string | undefined): TimestampMode {
  const chosen = value ?? 'wall';
  if (!(TIMESTAMP_MODES as readonly string[]).includes(chosen)) {
    throw new IhasimError('IHASIM_USAGE', `--timestamps takes ${TIMESTAMP_MODES.join(' or ')}, found '${chosen}'`);
  }
  return chosen as TimestampMode;
}

/** The environment variable holding the SSH password (never a flag: flags show in `ps`). */
export const SSH_PASSWORD_ENV = 'IHASIM_SSH_PASSWORD';

/** The SSH options from the flags and the environment; undefined without `--ssh-port-base`. */
export async function sshOptions(flags: ServeFlags, env: NodeJS.ProcessEnv = process.env): Promise<SshServeOptions | undefined> {
  const password = env[SSH_PASSWORD_ENV];
  if (flags.sshPortBase === undefined) {
    if (flags.sshAuthorizedKeys !== undefined) throw new IhasimError('IHASIM_USAGE', '--ssh-authorized-keys needs --ssh-port-base <n> (0: ephemeral ports)');
    return undefined;
  }
  let authorizedKeys: string | undefined;
  if (flags.sshAuthorizedKeys !== undefined) {
    try {
      authorizedKeys = await readFile(flags.sshAuthorizedKeys, 'utf8');
    } catch (err) {
      throw new IhasimError('IHASIM_USAGE', `--ssh-authorized-keys ${flags.sshAuthorizedKeys}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  return {
    basePort: flags.sshPortBase,
    ...(authorizedKeys !== undefined ? { authorizedKeys, authorizedKeysSource: flags.sshAuthorizedKeys } : {}),
    ...(password !== undefined && password !== '' ? { password } : {}),
  };
}

/** `--canary-interval` in sim ms (undefined: the default); at least 100 ms, so a typo cannot flood a collector. */
export function canaryIntervalMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  let ms: number;
  try {
    ms = parseDuration(value);
  } catch {
    throw new IhasimError('IHASIM_USAGE', `--canary-interval takes a duration such as 5s or 500ms, found '${value}'`);
  }
  if (ms < 100) throw new IhasimError('IHASIM_USAGE', `--canary-interval ${value} is below 100ms of sim time`);
  return ms;
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

/** Where the replay went, the command to run it, and what it does not replay (or why it was not written). */
interface ReplayOutcome {
  file: string | null;
  command: string | null;
  notReplayable: string[];
  error?: string;
}

/** Write the replay scenario; a failure to write is reported, not thrown (the report is already out). */
async function writeReplay(session: ServeSession, path: string, logger: Logger): Promise<ReplayOutcome> {
  const file = resolve(path);
  try {
    const { notReplayable } = await writeReplayScenario(session, file);
    const defects = [...session.world.defects].map((d) => ` --defect ${d}`).join('');
    return { file, command: `npx ihasim run ${relative(process.cwd(), file) || file} --seed ${session.seed}${defects}`, notReplayable };
  } catch (err) {
    logger.error({ err }, 'replay scenario not written');
    return { file: null, command: null, notReplayable: [], error: `replay scenario not written to ${file}: ${(err as Error).message}` };
  }
}

function renderReplay(r: ReplayOutcome): string {
  if (!r.command) return r.error ?? 'replay scenario not written';
  const lines = [`replay: ${r.command}`];
  if (r.notReplayable.length === 0) lines.push('  (faithful: the same faults at the same sim times, same seed)');
  else lines.push('  not replayed:', ...r.notReplayable.map((p) => `  - ${p}`));
  return lines.join('\n');
}

/** Runs `ihasim serve`; returns the exit code once stopped by a signal. */
export async function serveCommand(file: string, flags: ServeFlags, out: (s: string) => void): Promise<number> {
  const spec = await loadScenario(file);
  const logger = makeLogger(flags.logLevel);
  const ssh = await sshOptions(flags);
  const handle = await startServe({
    spec, logger,
    ...(flags.host !== undefined ? { host: flags.host } : {}), ...(flags.port !== undefined ? { port: flags.port } : {}),
    ...(flags.ipmiBasePort !== undefined ? { ipmiBasePort: flags.ipmiBasePort } : {}),
    ...(flags.redfishPort !== undefined ? { redfishPort: flags.redfishPort } : {}),
    ...(flags.speed !== undefined ? { speed: flags.speed } : {}), ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(flags.controlToken !== undefined ? { controlToken: flags.controlToken } : {}),
    timestamps: timestampMode(flags.timestamps),
    ...(flags.defect ? { defects: validateDefects(flags.defect) } : {}),
    ...(ssh ? { ssh } : {}),
    ...(flags.canaryInterval !== undefined ? { canary: { intervalMs: canaryIntervalMs(flags.canaryInterval)! } } : {}),
  });
  const { endpoints, session } = handle;
  if (flags.json) out(JSON.stringify(endpoints, null, 2));
  else {
    out(`ihasim serve: ${spec.name} (policy ${spec.recovery.policy}, seed ${session.seed}, speed ${session.driver.speed}×, ends at sim ${spec.durationMs} ms, ${timestampMode(flags.timestamps)} timestamps: see harness/serve/CLOCK.md)`);
    out(renderEndpoints(endpoints));
    out('Ctrl-C stops and prints the report.');
  }
  const signal = await nextSignal();
  logger.info({ signal }, 'stopping');
  const report = await handle.close();
  const replay = await writeReplay(session, flags.replayOut ?? `ihasim-serve-${session.seed}-replay.yaml`, logger);
  if (flags.json) {
    out(JSON.stringify(report, null, 2));
    out(JSON.stringify({ replay }, null, 2));
  } else {
    out(`\nstopped by ${signal} at sim ${session.world.kernel.now} ms\n${renderRun(report, { timeline: false })}`);
    out(renderReplay(replay));
  }
  return report.exitCode;
}
