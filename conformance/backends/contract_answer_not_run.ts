/**
 * A built-in's answer to a request it does not give its library (docs/protocol.md `not_run`): the contract's answer to
 * it marked `not_run` with the reason, so that `qconform run` reports the case `not-run` (its stand-in is the expected
 * answer) and the vector writers never record it as the library's (conformance/vectors/build_vector_set.ts). The
 * contract's answer is its first refusal (the message after the reason) or, when the contract takes the request, its
 * outputs as impl computes them (bit for bit the exact reference's, which the agreement properties and vectors check;
 * the reference would take minutes on a large conv, beyond a case's timeout): a stand-in that is not the contract's
 * answer would be judged `fail` by the runner.
 * Used by the onnxruntime backend (onnxruntime/ort_not_run.ts, ort_not_given.ts) and the litert backend
 * (litert/litert_conv.ts).
 */
import { impl } from '../../impl/index.js';
import { evaluateRequest } from '../protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../protocol/messages.js';
import { type CheckProgress, contractCheckOps } from '../vectors/contract_check_ops.js';

/** A refusal as the wire carries it. */
export interface Refusal {
  readonly code: string;
  readonly message: string;
}

/** The reason format every such answer starts with: `not run on <library> (<why>)`. */
export function notRunReason(library: string, why: string): string {
  return `not run on ${library} (${why})`;
}

/** `refusal` (the contract's) as the answer to request `id`, marked `not_run` with `notRun` (which its message starts with). */
export function refusalNotRun(id: string, notRun: string, refusal: Refusal): WireResponse {
  return { id, error: { code: refusal.code, message: `${notRun}: ${refusal.message}` }, not_run: notRun };
}

/**
 * The contract's first refusal of `request` (the protocol's own decoders, then the op's contract checks,
 * conformance/vectors/contract_check_ops.ts: whichever fires first, as reference/ and impl/ answer it), or null when
 * the contract takes it.
 */
export function contractFirstRefusal(request: WireRequest): Refusal | null {
  const progress: CheckProgress = { decoded: false, accepted: false };
  const contract = evaluateRequest(contractCheckOps(progress), request);
  return !progress.accepted && 'error' in contract ? contract.error : null;
}

/**
 * The contract's answer to `request`, marked `not_run` with `notRun`: its first refusal, else impl's answer (its
 * outputs, or a refusal it meets while computing, e.g. a TFLite shift count of undefined C++).
 */
export function contractAnswerNotRun(request: WireRequest, notRun: string): WireResponse {
  const refusal = contractFirstRefusal(request);
  const answer = refusal ? { id: request.id, error: refusal } : evaluateRequest(impl, request);
  if ('error' in answer) return refusalNotRun(request.id, notRun, answer.error);
  return { ...answer, id: request.id, not_run: notRun };
}
