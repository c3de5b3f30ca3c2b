/**
 * Requests an ORT adapter cannot give ORT as they are, found before the model runs (docs/protocol.md "Requests the
 * onnxruntime backend does not run"): an integer outside its ONNX element type (ort_int_range.ts), a wire dtype the
 * one-node model does not carry (qdq.ts, qlinear_conv.ts, onnx_qops_ort.ts), a conv the one-node QLinearConv does not
 * compute (qlinear_conv.ts). The adapter throws NotGivenToOrt and answers with answerNotGivenToOrt: the contract's
 * answer to the request (its first refusal, or the reference's outputs when it takes the request) marked `not_run`
 * (../contract_answer_not_run.ts), never as ORT's answer. The dtypes ORT is given as another's (quint8 and uint8 are
 * both ONNX uint8) are ort_dtype_alias.ts.
 */
import type { WireRequest, WireResponse } from '../../protocol/messages.js';
import { contractAnswerNotRun } from '../contract_answer_not_run.js';
import { notRunReason } from './ort_not_run.js';

/** What ORT cannot be given (`why`, the not-run reason). */
export class NotGivenToOrt extends Error {
  override readonly name: string = 'NotGivenToOrt';
  constructor(readonly why: string) {
    super(why);
  }
}

/**
 * The answer to `request`, which ORT cannot be given (`e`): the contract's answer, not run on ORT. Where the contract
 * takes the request that is the reference's outputs (a stand-in other than the contract's answer is judged `fail`).
 */
export function answerNotGivenToOrt(request: WireRequest, e: NotGivenToOrt): WireResponse {
  return contractAnswerNotRun(request, notRunReason(e.why));
}
