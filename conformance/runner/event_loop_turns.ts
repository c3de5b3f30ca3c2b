/**
 * Turns of the event loop during a run whose cases settle without I/O. An in-process backend (reference, impl, a
 * module's) answers through promises that are already settled, so awaiting case after case runs in microtasks only and
 * the event loop never polls: a SIGINT or SIGTERM (interruption.ts) was dispatched only after the last case, once its
 * handler had been removed, and a run told to stop went on to the end and exited 0. A turn (setImmediate: the loop
 * polls, and so dispatches a pending signal, before its check phase) every TURN_MS of such work lets the handler run,
 * and the plain progress lines' timer too.
 */
import { setImmediate as immediate } from 'node:timers/promises';

/** At most this much work (ms) between two turns: a signal waits no longer than this (and the case that runs). */
const TURN_MS = 20;

/** One turn of the event loop: what is pending (a signal, a timer, I/O) is dispatched before this resolves. */
export function turnEventLoop(): Promise<void> {
  return immediate();
}

/**
 * A function to await between cases: it turns the event loop when TURN_MS passed since the last turn (or since it was
 * made). One per concurrent loop (a --jobs instance), so that one instance's turn does not reset another's clock.
 */
export function eventLoopTurns(): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < TURN_MS) return;
    await turnEventLoop();
    last = performance.now();
  };
}
