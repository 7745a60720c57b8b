/** What stopped a long command (check, plan, run --seeds) early, if anything: the first SIGINT (Ctrl-C) or SIGTERM. */
export interface StopSignal {
  readonly signal: NodeJS.Signals | null;
  dispose(): void;
}

/**
 * Turns the first SIGINT or SIGTERM into "stop and report what is finished" (a `kill` from CI or a job
 * runner is the same request as a Ctrl-C). The listeners go away after the first signal, so a second one kills.
 */
export function watchStopSignals(): StopSignal {
  const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
  const state: { signal: NodeJS.Signals | null } = { signal: null };
  const dispose = (): void => {
    for (const s of SIGNALS) process.removeListener(s, onSignal);
  };
  function onSignal(signal: NodeJS.Signals): void {
    state.signal ??= signal;
    dispose();
  }
  for (const s of SIGNALS) process.on(s, onSignal);
  return { get signal() { return state.signal; }, dispose };
}

/** The shell's convention: 128 + the signal number (SIGINT 130, SIGTERM 143). */
export const signalExitCode = (signal: NodeJS.Signals): number => (signal === 'SIGTERM' ? 143 : 130);
