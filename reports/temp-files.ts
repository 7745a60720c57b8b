/**
 * Temp files of atomic writes that are still being written. A Ctrl-C (SIGINT), a SIGTERM or an exit in the
 * middle of a write would otherwise leave `.name.pid.xxxx.tmp` files beside the user's reports.
 */
import { unlinkSync } from 'node:fs';

const inFlight = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function removeAll(): void {
  for (const path of inFlight) {
    try {
      unlinkSync(path);
    } catch {
      // Already gone (renamed into place, or removed by the failing write itself).
    }
  }
  inFlight.clear();
}

/**
 * When nobody else handles the signal, its default action would kill the process before any `finally`
 * runs: remove the temps, then re-raise the signal so the exit status still says "killed by SIGINT".
 * When another listener handles it (`ihasim check` turns Ctrl-C into "stop and report"), the process
 * goes on and the write finishes normally, so the temp is left to it.
 */
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  removeAll();
  uninstall();
  process.kill(process.pid, signal);
}

function install(): void {
  for (const s of SIGNALS) process.on(s, onSignal);
  process.on('exit', removeAll);
}

function uninstall(): void {
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.removeListener('exit', removeAll);
}

/** Registers a temp file before it is created; from now on a signal or an exit removes it. */
export function trackTemp(path: string): void {
  if (inFlight.size === 0) install();
  inFlight.add(path);
}

/** The temp was renamed into place or removed: stop tracking it. */
export function untrackTemp(path: string): void {
  if (!inFlight.delete(path)) return;
  if (inFlight.size === 0) uninstall();
}

/** Temp files currently being written (for tests). */
export function tempsInFlight(): readonly string[] {
  return [...inFlight];
}
