/**
 * SIGINT and SIGTERM while `qconform run` runs. The first signal stops the run gracefully, at any time after the run
 * began (while the backend, or a --jobs instance, is still starting too: unlessInterrupted): the cases not judged get
 * `error` "run interrupted", the backend's process group is ended, the reports are written, and the run exits 128 + the
 * signal's number (130 for SIGINT, 143 for SIGTERM). A second signal kills every backend group and exits at once.
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

export function catchInterrupts(): Interruption {
  const controller = new AbortController();
  let received: NodeJS.Signals | null = null;
  const handler = (signal: NodeJS.Signals) => {
    if (received) {
      killAllBackendGroups();
      process.exit(exitCodeOf(received));
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

/** What unlessInterrupted returns when the signal came first. */
export const INTERRUPTED = Symbol('interrupted');

/** Starts unlessInterrupted gave up on that have not settled yet. */
const abandoned = new Set<Promise<unknown>>();

/**
 * A backend's start (which may take up to its handshake timeout, 30 s for a command, 60 s for a module's load), or
 * INTERRUPTED as soon as `signal` aborts (at once when it already has, without starting anything). An abandoned start
 * is not awaited: what it still yields is closed, its failure dropped unreported, and it is ended with the run
 * (endAbandonedStarts).
 */
export async function unlessInterrupted<T extends { close?(): void | Promise<void> }>(start: () => Promise<T>, signal: AbortSignal): Promise<T | typeof INTERRUPTED> {
  if (signal.aborted) return INTERRUPTED;
  const starting = start();
  let onAbort = () => undefined as void;
  const aborted = new Promise<typeof INTERRUPTED>((resolve) => {
    onAbort = () => resolve(INTERRUPTED);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  const first = await Promise.race([starting, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
  if (first === INTERRUPTED) {
    const ending = starting.then(async (late) => late.close?.()).catch(() => undefined);
    abandoned.add(ending);
    void ending.finally(() => abandoned.delete(ending));
  }
  return first;
}

/**
 * An interrupted run's last step, once its reports are written and its started backends closed: ends the process groups
 * of backends still starting, and when a start that runs in this process is still pending (a module loading in its
 * worker, a built-in's library), exits now with the run's `exitCode` instead of waiting for it (at exit, every backend
 * group is ended: process_group.ts). Without an exit code (the run threw: its error is yet to be shown), it only ends the groups.
 */
export function endAbandonedStarts(exitCode: number | undefined): void {
  killAllBackendGroups();
  if (abandoned.size && exitCode !== undefined) process.exit(exitCode);
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
