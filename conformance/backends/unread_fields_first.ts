/**
 * The built-in backends over an adapter process whose library answers first (the torch adapter qconform_torch.py, the
 * native XNNPACK and gemmlowp adapters): their adapters note what the op reads and can refuse a field it does not take
 * only once the op has answered, so a request wrong in two ways got the library's refusal (or its crash) where
 * reference/ and impl/ refuse the field. This wrapper refuses such a request before it reaches the process, with
 * reference's and impl's answer, id, code and message alike (conformance/protocol/dispatch.ts unreadFieldRefusal: the
 * one check of conformance/protocol/request_fields.ts); every other request goes to the adapter as before.
 */
import type { Backend } from './backend.js';
import { forwardingBackend } from './forwarding_backend.js';
import { unreadFieldRefusal } from '../protocol/dispatch.js';

/** `b`, refusing a request field its op does not take before `b` runs it; everything else of `b` forwarded as it is. */
export function refusingUnreadFirst(b: Backend): Backend {
  return forwardingBackend(b, { run: (request, options) => unreadFieldRefusal(request) ?? b.run(request, options) });
}
