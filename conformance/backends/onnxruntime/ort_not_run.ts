/**
 * The onnxruntime backend's answer to a request it does not run on ORT (docs/protocol.md "Requests the onnxruntime
 * backend does not run"): the contract's refusal of it (its code, its message after the reason), marked `not_run` with
 * the reason (../contract_answer_not_run.ts, shared with the litert backend), so that `qconform run` reports the case
 * `not-run` and the vector writers never record it as ORT's answer (conformance/vectors/build_vector_set.ts). Used for
 * the requests known to kill ORT's process (ort_known_crashes.ts), the integers ORT cannot be given (ort_int_range.ts),
 * the dtypes the adapters' models do not carry (ort_not_given.ts), the convs the one-node QLinearConv does not compute
 * (qlinear_conv.ts) and the dtypes ORT is given as another's (ort_dtype_alias.ts).
 */
import type { WireResponse } from '../../protocol/messages.js';
import { type Refusal, notRunReason as notRunOn, refusalNotRun } from '../contract_answer_not_run.js';

/** The reason format every such answer starts with: `not run on ORT (<why>)`. */
export function notRunReason(why: string): string {
  return notRunOn('ORT', why);
}

/** `refusal` (the contract's: code and message) as the answer to request `id`, not run on ORT because of `why`. */
export function answerNotRunOnOrt(id: string, why: string, refusal: Refusal): WireResponse {
  return refusalNotRun(id, notRunReason(why), refusal);
}
