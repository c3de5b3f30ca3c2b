/** A backend with provenance added to its `info` (the CPU it ran on, as its builtin measured it). */
import type { Backend, Capabilities } from '../backend.js';

/**
 * `b` with `extra` added to its info and, where a builtin narrows or completes them, `capabilities` for its own; all
 * else forwarded: its warnings and contradicted answers are read live from `b` when the run ends (a process backend's
 * stray lines and second answers: run_suite.ts), never copied at creation, and so is a batching backend's prefetch.
 */
export function withInfo(b: Backend, extra: Record<string, unknown>, capabilities: Capabilities = b.capabilities): Backend {
  return {
    name: b.name,
    version: b.version,
    capabilities,
    info: { ...b.info, ...extra },
    ...(b.enforcesTimeout ? { enforcesTimeout: true } : {}),
    get warnings() {
      return b.warnings;
    },
    get contradicted() {
      return b.contradicted;
    },
    ...(b.prefetch ? { prefetch: (requests: Parameters<NonNullable<Backend['prefetch']>>[0]) => b.prefetch!(requests) } : {}),
    run: (request, options) => b.run(request, options),
    close: () => b.close?.(),
  };
}
