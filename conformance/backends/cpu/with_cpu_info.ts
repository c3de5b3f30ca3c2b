/** A backend with provenance added to its `info` (the CPU it ran on, as its builtin measured it). */
import type { Backend } from '../backend.js';

export function withInfo(b: Backend, extra: Record<string, unknown>): Backend {
  return {
    name: b.name,
    version: b.version,
    capabilities: b.capabilities,
    info: { ...b.info, ...extra },
    ...(b.enforcesTimeout ? { enforcesTimeout: true } : {}),
    run: (request, options) => b.run(request, options),
    close: () => b.close?.(),
  };
}
