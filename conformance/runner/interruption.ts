/**
 * SIGINT and SIGTERM while `qconform run` runs. The first signal stops the run gracefully: the cases
 * not judged get `error` "run interrupted", the backend's process group is ended, the reports are
 * written, and the run exits 128 + the signal's number (130 for SIGINT, 143 for SIGTERM). A second
 * signal (or the first, where nothing can stop gracefully) kills every backend group and exits at once.
 */
import { constants } from 'node:os';
import { Script, createContext } from 'node:vm';
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

/** What hearingSigint returns when a SIGINT stopped the function. */
export const STOPPED_BY_SIGINT = Symbol('stopped by SIGINT');

/**
 * Runs a long synchronous call (fast-check generating or skipping draws) so that SIGINT still stops it: while JavaScript
 * runs, no process.on('SIGINT') handler can, so the call runs as a vm script with breakOnSigint (node:vm; the handlers are
 * set aside meanwhile). When a SIGINT stops it, the signal is raised again at this process, where the handlers (or, with
 * none, the default action) take it as any other, and STOPPED_BY_SIGINT is returned.
 */
export function hearingSigint<T>(call: () => T): T | typeof STOPPED_BY_SIGINT {
  try {
    return new Script('call()').runInContext(createContext({ call }), { breakOnSigint: true }) as T;
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'ERR_SCRIPT_EXECUTION_INTERRUPTED') throw e;
    process.kill(process.pid, 'SIGINT');
    return STOPPED_BY_SIGINT;
  }
}
