/**
 * SIGINT and SIGTERM while `qconform run` runs. The first signal stops the run gracefully: the cases
 * not judged get `error` "run interrupted", the backend's process group is ended, the reports are
 * written, and the run exits 128 + the signal's number (130 for SIGINT, 143 for SIGTERM). A second
 * signal (or the first, where nothing can stop gracefully) kills every backend group and exits at once.
 */
import { constants } from 'node:os';
import { killAllBackendGroups } from '../protocol/process_group.js';

export interface Interruption {
  /** Aborted with the signal's name at the first signal. */
  readonly signal: AbortSignal;
  /** 128 + the signal's number once one arrived, else null. */
  exitCode(): number | null;
  /** Remove the handlers (the default behaviour of the signals returns). */
  dispose(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

const exitCodeOf = (signal: NodeJS.Signals) => 128 + (constants.signals[signal] ?? 0);

/** `graceful()`: whether a first signal can stop the run gracefully now (false while the backend is starting). */
export function catchInterrupts(graceful: () => boolean): Interruption {
  const controller = new AbortController();
  let received: NodeJS.Signals | null = null;
  const handler = (signal: NodeJS.Signals) => {
    if (received || !graceful()) {
      killAllBackendGroups();
      process.exit(exitCodeOf(received ?? signal));
    }
    received = signal;
    process.stderr.write(`\nqconform: ${signal}: stopping; the cases not judged get "error", the reports are written (${signal} again quits at once)\n`);
    controller.abort(signal);
  };
  for (const s of SIGNALS) process.on(s, handler);
  return {
    signal: controller.signal,
    exitCode: () => (received ? exitCodeOf(received) : null),
    dispose: () => {
      for (const s of SIGNALS) process.off(s, handler);
    },
  };
}
