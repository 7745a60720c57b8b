import type { Op } from '../../../kernel/process.js';
import type { InstanceRecord, MigrationRecord } from '../../../nova/records.js';
import type { DesignPorts } from '../../design-ports.js';
import { apiStatus, disableReason, REASON } from './classify.js';
import type { RhosoConfig } from './config.js';
import { isApiError, runPool } from './pool.js';

/** instanceha.py constants used by smart evacuation. */
const INITIAL_EVACUATION_WAIT_MS = 10_000;
const EVACUATION_POLL_MS = 5_000;
const EVACUATION_RETRY_WAIT_MS = 5_000;
const MIGRATION_QUERY_MINUTES = 5;
const RESUME_MIGRATION_QUERY_MINUTES = 60;
const LOCK_REASON = 'instanceha-evacuation';
/** `MIGRATION_STATUS_COMPLETED`, `MIGRATION_STATUS_ERROR`. */
export const MIGRATION_COMPLETED: readonly string[] = ['completed', 'done'];
export const MIGRATION_ERROR: readonly string[] = ['error', 'failed', 'cancelled'];

/** `_migration_query_minutes_for_timeout`: max(5, (EVACUATION_TIMEOUT + 120) // 60) minutes. */
export function migrationQueryMinutes(evacuationTimeoutMs: number): number {
  return Math.max(MIGRATION_QUERY_MINUTES, Math.floor((evacuationTimeoutMs / 1000 + 120) / 60));
}

/**
 * `_server_evacuate`: a server with a task_state is reset to `error` first (its failure only logged); then
 * evacuate. Accepted = the API answered 200; any refusal is not accepted.
 */
export function* serverEvacuate(ports: DesignPorts, server: InstanceRecord | string, target?: string): Op<{ accepted: boolean; status?: number }> {
  const uuid = typeof server === 'string' ? server : server.uuid;
  if (typeof server !== 'string' && server.taskState !== null) {
    ports.log('rhoso.evacuate.reset-stuck', uuid, { taskState: server.taskState });
    try {
      yield* ports.nova.resetState(uuid, 'error');
    } catch (err) {
      if (!isApiError(err)) throw err;
    }
  }
  try {
    yield* ports.nova.evacuate(uuid, target ? { host: target } : {});
    ports.log('rhoso.evacuate.accepted', uuid, target ? { target } : {});
    return { accepted: true };
  } catch (err) {
    if (!isApiError(err)) throw err;
    const status = (err as { status: number }).status;
    ports.log('rhoso.evacuate.refused', uuid, { status, message: (err as Error).message });
    return { accepted: false, status };
  }
}

/** `_traditional_evacuate`: one after another, fire-and-forget; true when every evacuate was accepted. */
export function* traditionalEvacuate(ports: DesignPorts, servers: readonly InstanceRecord[], target?: string): Op<boolean> {
  let all = true;
  for (const s of servers) if (!(yield* serverEvacuate(ports, s, target)).accepted) all = false;
  return all;
}

interface EvacuationStatus {
  completed: boolean;
  error: boolean;
  createdAtMs?: number;
}

/** `_server_evacuation_status`: the newest evacuation migration of the server in the window; none is an error. */
function* evacuationStatus(ports: DesignPorts, uuid: string, queryMinutes: number): Op<EvacuationStatus> {
  let rows: MigrationRecord[];
  try {
    rows = yield* ports.nova.migrations({ instanceUuid: uuid, migrationType: 'evacuation',
      changesSinceMs: ports.clock.now() - queryMinutes * 60_000 });
  } catch (err) {
    if (!isApiError(err)) throw err;
    return { completed: false, error: true };
  }
  if (rows.length === 0) return { completed: false, error: true };
  const newest = [...rows].sort((a, b) => b.createdAtMs - a.createdAtMs)[0] as MigrationRecord;
  return { completed: MIGRATION_COMPLETED.includes(newest.status), error: MIGRATION_ERROR.includes(newest.status),
    createdAtMs: newest.createdAtMs };
}

/**
 * `_monitor_evacuation`: poll the migration every 5 s until done/completed (success), EVACUATION_TIMEOUT since
 * `startMs` (give up), or EVACUATION_RETRIES errors (each answered by reset-state error + a new evacuate).
 */
function* monitorEvacuation(ports: DesignPorts, config: RhosoConfig, uuid: string, startMs: number): Op<boolean> {
  let migrationErrors = 0;
  const queryMinutes = migrationQueryMinutes(config.evacuationTimeoutMs);
  for (;;) {
    if (ports.clock.now() - startMs > config.evacuationTimeoutMs) {
      ports.log('rhoso.evacuate.timeout', uuid);
      return false;
    }
    const status = yield* evacuationStatus(ports, uuid, queryMinutes);
    if (status.completed) return true;
    if (status.error) {
      migrationErrors++;
      if (migrationErrors >= config.evacuationRetries) {
        ports.log('rhoso.evacuate.gave-up', uuid, { errors: migrationErrors });
        return false;
      }
      try {
        yield* ports.nova.resetState(uuid, 'error');
        yield* serverEvacuate(ports, uuid);
      } catch (err) {
        if (!isApiError(err)) throw err;
      }
      yield* ports.clock.sleep(EVACUATION_RETRY_WAIT_MS);
      continue;
    }
    yield* ports.clock.sleep(EVACUATION_POLL_MS);
  }
}
// `_monitor_evacuation` also counts API errors up to MAX_API_RETRIES (10), but `_server_evacuation_status` already
// turns an API error into `error`, so that counter never moves: a Nova error while monitoring is a failed migration,
// answered by reset-state + a new evacuate of a rebuild that may still be in flight.

/** After a tracked success, put a SHUTOFF or ERROR server back in that state (`_server_evacuate_future`). */
function* restoreState(ports: DesignPorts, uuid: string, original: string): Op<void> {
  if (original !== 'SHUTOFF' && original !== 'ERROR') return;
  try {
    const now = apiStatus(yield* ports.nova.server(uuid));
    if (now === original) return;
    if (original === 'SHUTOFF') yield* ports.nova.stop(uuid);
    else yield* ports.nova.resetState(uuid, 'error');
  } catch (err) {
    if (!isApiError(err)) throw err;
  }
}

/**
 * `_server_evacuate_future`: lock, (on resume: a completed evacuation is success, one in flight is monitored from its
 * creation), evacuate, wait 10 s, monitor; unlock at the end whatever happened.
 */
export function* trackedEvacuate(ports: DesignPorts, config: RhosoConfig, server: InstanceRecord, target: string | undefined,
  resume: boolean): Op<boolean> {
  const start = ports.clock.now();
  const original = apiStatus(server);
  try {
    yield* ports.nova.lock(server.uuid, LOCK_REASON);
  } catch (err) {
    if (!isApiError(err)) throw err;
  }
  let result = false;
  try {
    result = yield* evacuateAndMonitor(ports, config, server, target, resume, start);
    if (result) yield* restoreState(ports, server.uuid, original);
  } catch (err) {
    if (!isApiError(err)) throw err;
    result = false;
  }
  try {
    yield* ports.nova.unlock(server.uuid);
  } catch (err) {
    if (!isApiError(err)) throw err;
  }
  return result;
}

function* evacuateAndMonitor(ports: DesignPorts, config: RhosoConfig, server: InstanceRecord, target: string | undefined,
  resume: boolean, start: number): Op<boolean> {
  if (resume) {
    const st = yield* evacuationStatus(ports, server.uuid, RESUME_MIGRATION_QUERY_MINUTES);
    if (st.completed) return true;
    if (!st.error) {
      // Elapsed time counts from the migration's creation, so a crash loop cannot extend the timeout.
      const resumeStart = st.createdAtMs ?? start;
      return yield* monitorEvacuation(ports, config, server.uuid, resumeStart);
    }
  }
  let response = yield* serverEvacuate(ports, server, target);
  if (!response.accepted && target && (response.status === 409 || response.status === 500)) {
    response = yield* serverEvacuate(ports, server);
  }
  if (!response.accepted) return false;
  yield* ports.clock.sleep(INITIAL_EVACUATION_WAIT_MS);
  return yield* monitorEvacuation(ports, config, server.uuid, start);
}

/** `_build_evacuation_groups`: phases by `instanceha:restart_priority` (1–1000, default 500), groups together. */
export function evacuationPhases(servers: readonly InstanceRecord[]): InstanceRecord[][] {
  const priority = (s: InstanceRecord): number => {
    const n = Number.parseInt(s.metadata['instanceha:restart_priority'] ?? '500', 10);
    return Number.isNaN(n) ? 500 : Math.max(1, Math.min(1000, n));
  };
  const groups = new Map<string, { priority: number; servers: InstanceRecord[] }>();
  const phases: { priority: number; servers: InstanceRecord[] }[] = [];
  for (const s of servers) {
    const group = s.metadata['instanceha:restart_group'];
    if (!group) continue;
    const g = groups.get(group) ?? { priority: 0, servers: [] };
    g.priority = Math.max(g.priority, priority(s));
    g.servers.push(s);
    groups.set(group, g);
  }
  phases.push(...groups.values());
  for (const s of servers) if (!s.metadata['instanceha:restart_group']) phases.push({ priority: priority(s), servers: [s] });
  return phases.sort((a, b) => b.priority - a.priority).map((p) => p.servers);
}

/**
 * `_concurrent_evacuate`: per phase, EVACUATION_MAX_THREADS / WORKERS servers at a time, each tracked; a phase whose
 * servers are not all finished EVACUATION_TIMEOUT + 60 s after it began counts as failed (`as_completed` timeout).
 * Any failure sets the reason `instanceha evacuation FAILED: <ts>` (manual recovery).
 */
export function* concurrentEvacuate(ports: DesignPorts, config: RhosoConfig, host: string, servers: readonly InstanceRecord[],
  target: string | undefined, resume: boolean): Op<boolean> {
  const phases = config.orchestratedRestart ? evacuationPhases(servers) : [[...servers]];
  const width = Math.max(1, Math.floor(config.evacuationMaxThreads / config.workers));
  let all = true;
  for (const [i, phase] of phases.entries()) {
    const began = ports.clock.now();
    const r = yield* runPool(ports, `rhoso-instanceha:evacuate:${host}:${i}`, phase, width,
      (s) => trackedEvacuate(ports, config, s, target, resume));
    const deadline = began + config.evacuationTimeoutMs + 60_000;
    if (r.ok.some((ok, j) => !ok || (r.finishedAtMs[j] as number) > deadline)) all = false;
  }
  if (!all) {
    try {
      yield* ports.nova.disable(host, disableReason(REASON.failed, ports.clock.now()));
    } catch (err) {
      if (!isApiError(err)) throw err;
    }
    ports.log('rhoso.evacuate.failed', host);
  }
  return all;
}
