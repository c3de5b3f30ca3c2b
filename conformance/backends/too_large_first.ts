/**
 * The built-in backends over a library that applies none of the contract's size limits (contract/limits.ts;
 * the native XNNPACK and gemmlowp adapters, conformance/backends/native/; torch 1.13 and 2.6; ONNX Runtime): a request
 * beyond a limit reached the library, which allocated it (a quantized_conv2d@1 padding of 100000 around a 1x1 input:
 * the XNNPACK adapter answered backend_error "std::bad_alloc", torch "DefaultCPUAllocator: can't allocate memory: you
 * tried to allocate 40000400081 bytes", ORT its BFCArena's failure; a smaller excess is allocated and computed) or
 * computed it for as long as it took, where reference/ and impl/ answer too_large
 * before anything of that size is allocated. This wrapper answers such a request with the contract's refusal before it
 * reaches the process: when the contract's first refusal (contractFirstRefusal: the protocol's decoders and the op's
 * checks, whichever fires first) is too_large, that refusal, id, code and message as reference/ and impl/ give them.
 * Every other request goes to the adapter as before (its library's own refusals stay its own).
 */
import type { Backend } from './backend.js';
import { contractFirstRefusal } from './contract_answer_not_run.js';
import { forwardingBackend } from './forwarding_backend.js';
import type { WireRequest, WireResponse } from '../protocol/messages.js';

/** The contract's too_large refusal of `request` when that is its first refusal, else null. */
export function tooLargeRefusal(request: WireRequest): WireResponse | null {
  const refusal = contractFirstRefusal(request);
  return refusal?.code === 'too_large' ? { id: request.id, error: { code: refusal.code, message: refusal.message } } : null;
}

/** `b`, refusing a request beyond the contract's size limits before `b` runs it; everything else of `b` forwarded as it is. */
export function refusingTooLargeFirst(b: Backend): Backend {
  return forwardingBackend(b, { run: (request, options) => tooLargeRefusal(request) ?? b.run(request, options) });
}
