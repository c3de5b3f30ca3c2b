/**
 * Requests an ORT adapter cannot give ORT as they are, found before the model runs (docs/protocol.md "Requests the
 * onnxruntime backend does not run"): an integer outside its ONNX element type (ort_int_range.ts), a wire dtype the
 * one-node model does not carry (qdq.ts, qlinear_conv.ts, onnx_qops_ort.ts). The adapter throws NotGivenToOrt and
 * answers with answerNotGivenToOrt: the contract's first refusal of the request marked `not_run` (ort_not_run.ts), never
 * as ORT's answer. The dtypes ORT is given as another's (quint8 and uint8 are both ONNX uint8) are ort_dtype_alias.ts.
 */
import { evaluateRequest } from '../../protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../protocol/messages.js';
import { type CheckProgress, contractCheckOps } from '../../vectors/contract_check_ops.js';
import { answerNotRunOnOrt } from './ort_not_run.js';

/** What ORT cannot be given (`why`, the not-run reason) and what to answer should the contract take the request (`ifTaken`). */
export class NotGivenToOrt extends Error {
  override readonly name: string = 'NotGivenToOrt';
  constructor(
    readonly why: string,
    readonly ifTaken: string,
  ) {
    super(why);
  }
}

/**
 * The contract's first refusal of `request` (the protocol's own decoders, then the op's contract checks,
 * conformance/vectors/contract_check_ops.ts: whichever fires first, as reference/ and impl/ answer it), or null when
 * the contract takes it.
 */
export function contractFirstRefusal(request: WireRequest): { readonly code: string; readonly message: string } | null {
  const progress: CheckProgress = { decoded: false, accepted: false };
  const contract = evaluateRequest(contractCheckOps(progress), request);
  return !progress.accepted && 'error' in contract ? contract.error : null;
}

/**
 * The answer to `request`, which ORT cannot be given (`e`): the contract's first refusal, not run on ORT. Should the
 * contract take the request, ORT still cannot be given it: backend_error (e.ifTaken), not run on ORT either.
 */
export function answerNotGivenToOrt(request: WireRequest, e: NotGivenToOrt): WireResponse {
  return answerNotRunOnOrt(request.id, e.why, contractFirstRefusal(request) ?? { code: 'backend_error', message: e.ifTaken });
}
