/** A backend with provenance added to its `info` (the CPU it ran on, as its builtin measured it). */
import type { Backend, Capabilities } from '../backend.js';
import { forwardingBackend } from '../forwarding_backend.js';

/**
 * `b` with `extra` added to its info and, where a builtin narrows or completes them, `capabilities` for its own; all
 * else forwarded (forwarding_backend.ts).
 */
export function withInfo(b: Backend, extra: Record<string, unknown>, capabilities: Capabilities = b.capabilities): Backend {
  return forwardingBackend(b, { info: { ...b.info, ...extra }, capabilities });
}
