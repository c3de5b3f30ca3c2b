/**
 * A backend wrapped by another (a builtin adding provenance, one refusing unread fields first): every member of the
 * wrapped backend forwarded, its warnings and contradicted answers read live when the run ends (a process backend's
 * stray lines and second answers: run_suite.ts), never copied at creation, and a batching backend's prefetch kept; the
 * wrapper changes only what it names. One place, so that no wrapper drops a member (withInfo and a spread once lost
 * both warnings and contradicted answers).
 */
import type { Backend } from './backend.js';

/** What a wrapper may change of the backend it wraps. */
export type BackendChanges = Partial<Pick<Backend, 'info' | 'capabilities' | 'run'>>;

/** `b` with `changes`, everything else forwarded. */
export function forwardingBackend(b: Backend, changes: BackendChanges): Backend {
  const info = changes.info ?? b.info;
  const run = changes.run ?? ((request, options) => b.run(request, options));
  return {
    name: b.name,
    version: b.version,
    capabilities: changes.capabilities ?? b.capabilities,
    ...(info ? { info } : {}),
    ...(b.enforcesTimeout ? { enforcesTimeout: true } : {}),
    get warnings() {
      return b.warnings;
    },
    get contradicted() {
      return b.contradicted;
    },
    ...(b.prefetch ? { prefetch: (requests: Parameters<NonNullable<Backend['prefetch']>>[0]) => b.prefetch!(requests) } : {}),
    run,
    close: () => b.close?.(),
  };
}
